"""The labelled claim set: claims written the way a model writes a report (Chinese and English,
about the corpus papers, the Chinese one included), each citing one page, with its label.

``bench/data/claims.tsv`` holds the hand-written claims: supported ones, and wrong versions of them
(altered number, negated, reversed comparison, swapped name or place) plus fabricated and off-topic
claims. Two more kinds are derived here from supported claims, by fixed rules: every fourth one
(id number ≡ 1 mod 4) cited to the page half-way round the paper (``wrong_page``), every fourth
(≡ 3 mod 4) cited to a page past the end (``out_of_range``).

The held-out part — fixed before any tuning — is every claim whose base id (the part before '-')
hashes to 0 mod 3 (SHA-256); the rest is the tuning part. Only the tuning part may guide changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data" / "claims.tsv"
PAPERS = {
    "attention": "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf",
    "alce": "ALCE_Gao2023_arXiv2305.14627.pdf",
    "zh": "zh_Wang2024_live_streaming_platform_regulation_hanspub_CCBY4.pdf",
}
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
        """'held_out' or 'tuning', by a fixed hash of the base id."""
        return "held_out" if int(hashlib.sha256(self.base.encode()).hexdigest(), 16) % 3 == 0 else "tuning"


def load(pages: dict[str, int]) -> list[Claim]:
    """Every claim, the derived ones included; ``pages`` gives each paper's page count."""
    claims = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cid, label, paper, page, text = line.split("\t")
        claims.append(Claim(cid, label, PAPERS[paper], int(page), text))
    return claims + derived(claims, pages)


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
