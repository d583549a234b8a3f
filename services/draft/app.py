"""The draft service: writes the first report and every revision from the evidence."""

from functools import partial

from services.draft.handlers import Deps, on_evidence_ready, on_revision_requested
from services.draft.settings import DraftModelSettings
from shared.bus import Bus
from shared.consumer import report_progress
from shared.events import EvidenceReady, RevisionRequested
from shared.evidence import EvidenceLoader
from shared.model import ModelClient

STAGE = "draft"
DURABLE = "draft"


def routes(bus: Bus) -> dict:
    """Subject → handler; the model comes from the environment (none: the offline writer)."""
    settings = DraftModelSettings()
    model = ModelClient(settings) if settings.configured else None
    deps = Deps(evidence=EvidenceLoader(bus.store), model=model, progress=report_progress)
    return {
        EvidenceReady.event_type(): partial(on_evidence_ready, deps=deps),
        RevisionRequested.event_type(): partial(on_revision_requested, deps=deps),
    }
