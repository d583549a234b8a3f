"""The sentences of evidence units that claims are aligned with, and their embeddings in the pack.

The ingest service embeds every sentence of every unit once (``with_vectors``) and the pack carries
the rows, so the validator encodes only the report's own sentences, on every round and replica.
"""

from __future__ import annotations

import re
from functools import lru_cache

from shared import embeddings
from shared.sentences import split_sentences
from shared.units import EvidencePack

LONGEST = 600  # characters; a longer "sentence" (a table read as text) is cut into pieces this long


def clean(text: str) -> str:
    """``text`` with line breaks joined, words split at a line-end hyphen rejoined (``gpt-3.5- turbo``)
    and typographic apostrophes made plain."""
    text = re.sub(r"\s*\n\s*", " ", text).replace("’", "'")
    return re.sub(r"(?<=[A-Za-z0-9])- (?=[A-Za-z0-9])", "-", text)


@lru_cache(maxsize=4096)
def sentences_of(text: str) -> tuple[str, ...]:
    """The sentences of one text (``clean``ed), long ones cut into pieces."""
    return tuple(
        sentence[i : i + LONGEST] for sentence in split_sentences(clean(text)) for i in range(0, len(sentence), LONGEST)
    )


def evidence_sentences(texts: list[str]) -> list[str]:
    """The sentences of ``texts``, one text after the other."""
    return [sentence for text in texts for sentence in sentences_of(text)]


def with_vectors(pack: EvidencePack) -> EvidencePack:
    """``pack`` carrying the embeddings of every sentence of its units."""
    return pack.model_copy(update={"vectors": embeddings.table(evidence_sentences([u.text for u in pack.units]))})
