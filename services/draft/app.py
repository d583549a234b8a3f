"""The draft service: writes the first report and every revision from the evidence."""

from functools import partial

from services.draft.handlers import Deps, on_evidence_ready, on_revision_requested
from shared.bus import Bus
from shared.events import EvidenceReady, RevisionRequested
from shared.evidence import EvidenceLoader

STAGE = "draft"
DURABLE = "draft"


def routes(bus: Bus) -> dict:
    """Subject → handler."""
    deps = Deps(evidence=EvidenceLoader(bus.store))
    return {
        EvidenceReady.event_type(): partial(on_evidence_ready, deps=deps),
        RevisionRequested.event_type(): partial(on_revision_requested, deps=deps),
    }
