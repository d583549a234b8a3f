"""The validate service: checks each report version and runs the revision loop."""

from functools import partial

from services.validate.handlers import Deps, on_report
from services.validate.judge import Judge
from shared.consumer import Handler
from shared.events import ReportDrafted, ReportRevised
from shared.evidence import EvidenceLoader
from shared.storage import ObjectStore

STAGE = "validate"
DURABLE = "validate"


def dependencies(store: ObjectStore) -> Deps:
    """The handler's dependencies on ``store``: the judge model the environment names (none: the
    offline checks decide alone)."""
    return Deps(evidence=EvidenceLoader(store), judge=Judge.configured())


def routes(deps: Deps) -> dict[str, Handler]:
    """Subject → handler."""
    handler = partial(on_report, deps=deps)
    return {ReportDrafted.event_type(): handler, ReportRevised.event_type(): handler}
