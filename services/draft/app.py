"""The draft service: writes the first report and every revision from the evidence."""

from functools import partial

from services.draft.handlers import Deps, on_evidence_ready, on_revision_requested
from services.draft.settings import DraftModelSettings
from shared.consumer import Handler, report_progress
from shared.events import EvidenceReady, RevisionRequested
from shared.evidence import EvidenceLoader
from shared.model import ModelClient
from shared.storage import ObjectStore

STAGE = "draft"
DURABLE = "draft"


def dependencies(store: ObjectStore) -> Deps:
    """The handlers' dependencies on ``store``: the model the environment names (none: the offline
    writer), and progress reported on the message being handled."""
    settings = DraftModelSettings()
    model = ModelClient(settings) if settings.configured else None
    return Deps(evidence=EvidenceLoader(store), model=model, progress=report_progress)


def routes(deps: Deps) -> dict[str, Handler]:
    """Subject → handler."""
    return {
        EvidenceReady.event_type(): partial(on_evidence_ready, deps=deps),
        RevisionRequested.event_type(): partial(on_revision_requested, deps=deps),
    }
