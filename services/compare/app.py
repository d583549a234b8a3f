"""The compare service: writes the comparison and the task's other artifacts."""

from functools import partial

from services.compare.handlers import Deps, on_report_accepted
from shared.bus import Bus
from shared.events import ReportAccepted
from shared.evidence import EvidenceLoader

STAGE = "compare"
DURABLE = "compare"


def routes(bus: Bus) -> dict:
    """Subject → handler."""
    deps = Deps(evidence=EvidenceLoader(bus.store))
    return {ReportAccepted.event_type(): partial(on_report_accepted, deps=deps)}
