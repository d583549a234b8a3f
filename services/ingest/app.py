"""The ingest service: turns uploaded sources into an evidence pack of citable units."""

from functools import partial

from services.ingest.cache import UnitCache
from services.ingest.endpoints import Endpoints
from services.ingest.handlers import Deps, on_task_submitted
from services.ingest.limits import IngestLimits
from shared.consumer import Handler
from shared.events import TaskSubmitted
from shared.evidence import EvidenceLoader
from shared.storage import ObjectStore

STAGE = "ingest"
DURABLE = "ingest"


def dependencies(store: ObjectStore) -> Deps:
    """The handler's dependencies on ``store``."""
    return Deps(evidence=EvidenceLoader(store), limits=IngestLimits(), endpoints=Endpoints(), cache=UnitCache())


def routes(deps: Deps) -> dict[str, Handler]:
    """Subject → handler."""
    return {TaskSubmitted.event_type(): partial(on_task_submitted, deps=deps)}
