"""The validate service: checks each report version and runs the revision loop."""

from functools import partial

from services.validate.handlers import Deps, on_report
from services.validate.judge import Judge
from shared.bus import Bus
from shared.events import ReportDrafted, ReportRevised
from shared.evidence import EvidenceLoader

STAGE = "validate"
DURABLE = "validate"


def routes(bus: Bus) -> dict:
    """Subject → handler; the judge model comes from the environment (none: offline checks alone)."""
    judge = Judge.configured()
    handler = partial(on_report, deps=Deps(evidence=EvidenceLoader(bus.store), judge=judge))
    return {ReportDrafted.event_type(): handler, ReportRevised.event_type(): handler}
