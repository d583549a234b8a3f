"""Citations → the evidence they open in ``report.html``.

Every citation part as written (``Citation.raw``, e.g. ``文档: paper.pdf, page 2-3``) becomes one
entry with an anchor (``ev-1``, ``ev-2``… in order of first use) and the units its citations resolve
to, at most ``UNITS_SHOWN`` of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.citations import Citation, resolve
from shared.units import Unit

UNITS_SHOWN = 3


@dataclass
class EvidenceEntry:
    """What one citation part opens: its anchor, its text as written and the units it names."""

    anchor: str
    label: str
    units: list[Unit] = field(default_factory=list)
    more: int = 0


@dataclass
class EvidenceIndex:
    """Entries for the citations of one report pair, made on first use."""

    units: list[Unit]
    entries: dict[str, EvidenceEntry] = field(default_factory=dict)

    def entry(self, label: str, citations: list[Citation]) -> EvidenceEntry:
        """The entry of the citation part ``label`` whose citations are ``citations``."""
        key = " ".join(label.split())
        if key not in self.entries:
            found: dict[tuple, Unit] = {}
            for citation in citations:
                for unit in resolve(citation, self.units):
                    found.setdefault((unit.source, unit.kind, unit.index), unit)
            units = list(found.values())
            self.entries[key] = EvidenceEntry(
                anchor=f"ev-{len(self.entries) + 1}",
                label=key,
                units=units[:UNITS_SHOWN],
                more=max(0, len(units) - UNITS_SHOWN),
            )
        return self.entries[key]
