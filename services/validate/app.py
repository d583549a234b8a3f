"""The validate service: checks each report version and runs the revision loop."""

from functools import partial

from services.validate.handlers import Deps, on_report
from services.validate.judge import Judge
from services.validate.settings import JudgeSettings
from shared.bus import Bus
from shared.events import ReportDrafted, ReportRevised
from shared.evidence import EvidenceLoader
from shared.model import ModelClient

STAGE = "validate"
DURABLE = "validate"


def routes(bus: Bus) -> dict:
    """Subject → handler; the judge model comes from the environment (none: offline checks alone)."""
    settings = JudgeSettings()
    judge = Judge(ModelClient(settings), settings.max_calls, settings.evidence_chars) if settings.configured else None
    handler = partial(on_report, deps=Deps(evidence=EvidenceLoader(bus.store), judge=judge))
    return {ReportDrafted.event_type(): handler, ReportRevised.event_type(): handler}
