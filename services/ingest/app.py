"""The ingest service: turns uploaded sources into an evidence pack of citable units."""

from functools import partial

from services.ingest.cache import UnitCache
from services.ingest.endpoints import Endpoints
from services.ingest.handlers import Deps, on_task_submitted
from services.ingest.limits import IngestLimits
from shared.bus import Bus
from shared.events import TaskSubmitted
from shared.evidence import EvidenceLoader

STAGE = "ingest"
DURABLE = "ingest"


def routes(bus: Bus) -> dict:
    """Subject → handler."""
    deps = Deps(evidence=EvidenceLoader(bus.store), limits=IngestLimits(), endpoints=Endpoints(), cache=UnitCache())
    return {TaskSubmitted.event_type(): partial(on_task_submitted, deps=deps)}
