"""The validate service: checks each report version and runs the revision loop."""

from functools import partial

from services.validate.handlers import Deps, on_report
from shared.bus import Bus
from shared.events import ReportDrafted, ReportRevised
from shared.evidence import EvidenceLoader

STAGE = "validate"
DURABLE = "validate"


def routes(bus: Bus) -> dict:
    """Subject → handler."""
    handler = partial(on_report, deps=Deps(evidence=EvidenceLoader(bus.store)))
    return {ReportDrafted.event_type(): handler, ReportRevised.event_type(): handler}
