"""The labelled claim set: claims written the way a model writes a report (Chinese and English,
about the corpus papers, the Chinese one included), each citing one page, with its label.

Two files of hand-written claims, in the same columns: supported ones, and wrong versions of them
(altered number, negated, reversed comparison, swapped name or place) plus fabricated and off-topic
claims. Two more kinds are derived here from supported claims, by fixed rules: every fourth one
(id number ≡ 1 mod 4) cited to the page half-way round the paper (``wrong_page``), every fourth
(≡ 3 mod 4) cited to a page past the end (``out_of_range``).

Three parts (``Claim.part``):

- ``heldout_2``: every claim of ``bench/data/claims_heldout.tsv`` (ids ``H…``), written and
  committed before any check was run on them. Never tune on it.
- ``heldout_1``: the claims of ``bench/data/claims.tsv`` whose base id (the part before '-') hashes
  to 0 mod 3 (SHA-256) — the first held-out part, released into tuning; still reported apart, so
  its figures stay comparable with those measured while it was held out.
- ``tuning``: the rest of ``claims.tsv``.

Only ``tuning`` and ``heldout_1`` (``Claim.tunable``) may guide changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data" / "claims.tsv"
HELD_OUT = DATA.with_name("claims_heldout.tsv")
PAPERS = {
    "attention": "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf",
    "alce": "ALCE_Gao2023_arXiv2305.14627.pdf",
    "zh": "zh_Wang2024_live_streaming_platform_regulation_hanspub_CCBY4.pdf",
}
PARTS = ["tuning", "heldout_1", "heldout_2"]
KINDS = ["supported", "wrong_page", "out_of_range", "altered_number", "negated", "reversed", "swapped_name", "fabricated", "off_topic"]


class Claim(NamedTuple):
    """One labelled claim citing ``page`` of ``paper`` (a corpus file name)."""

    id: str
    label: str
    paper: str
    page: int
    text: str

    @property
    def base(self) -> str:
        return self.id.split("-")[0]

    @property
    def part(self) -> str:
        """'heldout_2' for the claims of the second file (ids 'H…'); else 'heldout_1' or 'tuning', by
        a fixed hash of the base id."""
        if self.id.startswith("H"):
            return "heldout_2"
        return "heldout_1" if int(hashlib.sha256(self.base.encode()).hexdigest(), 16) % 3 == 0 else "tuning"

    @property
    def tunable(self) -> bool:
        """Whether the claim may guide changes to the checks."""
        return self.part != "heldout_2"


def load(pages: dict[str, int]) -> list[Claim]:
    """Every claim of both files, the derived ones included; ``pages`` gives each paper's page count."""
    claims = [claim for path in (DATA, HELD_OUT) for claim in read(path)]
    return claims + derived(claims, pages)


def read(path: Path) -> list[Claim]:
    """The hand-written claims of one file; raises ``ValueError`` naming the line of a malformed one."""
    claims = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[1] not in KINDS or fields[2] not in PAPERS or not fields[3].isdigit():
            raise ValueError(f"{path.name}:{number}: expected id, label (a kind), paper ({', '.join(PAPERS)}), page, claim")
        cid, label, paper, page, text = fields
        claims.append(Claim(cid, label, PAPERS[paper], int(page), text))
    return claims


def derived(claims: list[Claim], pages: dict[str, int]) -> list[Claim]:
    """Wrong-page and out-of-range versions of every fourth supported claim."""
    extra = []
    for claim in claims:
        if claim.label != "supported":
            continue
        number, count = int(claim.id[1:]), pages[claim.paper]
        if number % 4 == 1:
            page = (claim.page - 1 + count // 2) % count + 1
            extra.append(claim._replace(id=f"{claim.id}-w", label="wrong_page", page=page))
        elif number % 4 == 3:
            extra.append(claim._replace(id=f"{claim.id}-o", label="out_of_range", page=count + 1 + number % 5))
    return extra
