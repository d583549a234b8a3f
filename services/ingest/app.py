"""The ingest service: turns uploaded sources into an evidence pack of citable units."""

from functools import partial

from services.ingest.handlers import Deps, on_task_submitted
from shared.bus import Bus
from shared.events import TaskSubmitted
from shared.evidence import EvidenceLoader

STAGE = "ingest"
DURABLE = "ingest"


def routes(bus: Bus) -> dict:
    """Subject → handler."""
    deps = Deps(evidence=EvidenceLoader(bus.store))
    return {TaskSubmitted.event_type(): partial(on_task_submitted, deps=deps)}
