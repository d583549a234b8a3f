"""The compare service: writes the comparison and the task's other artifacts."""

from functools import partial

from services.compare.handlers import Deps, on_report_accepted
from shared.consumer import Handler
from shared.events import ReportAccepted
from shared.evidence import EvidenceLoader
from shared.storage import ObjectStore

STAGE = "compare"
DURABLE = "compare"


def dependencies(store: ObjectStore) -> Deps:
    """The handler's dependencies on ``store``, with the wall clock."""
    return Deps(evidence=EvidenceLoader(store))


def routes(deps: Deps) -> dict[str, Handler]:
    """Subject → handler."""
    return {ReportAccepted.event_type(): partial(on_report_accepted, deps=deps)}
