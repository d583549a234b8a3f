"""Evidence units: the citable pieces every source is turned into.

A unit has a stable address inside its source (a PDF page, a web chunk, a video frame, a
file) and the text a check can read. The citation grammar (``shared.citations``) maps one-to-one
onto addresses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

UnitKind = Literal["page", "chunk", "frame", "image", "text", "slide", "sheet", "audio"]


class Unit(BaseModel):
    """One citable piece of one source."""

    source: str = Field(description="File name inside the task folder, e.g. 'paper.pdf'.")
    kind: UnitKind
    index: int = Field(description="Page number (from 1), chunk number (from 0), frame number (from 1), ...")
    text: str
    method: str = Field(description="How the text was obtained, e.g. 'pypdf', 'reference-chunker'.")
    title: str = Field(default="", description="Web page title, for chunk units.")
    start: float | None = Field(default=None, description="Start of the time window, seconds.")
    end: float | None = Field(default=None, description="End of the time window, seconds.")
    thumbnail: str = Field(default="", description="A small JPEG of a frame or image, base64, for a person to see.")
    furniture: str = Field(
        default="",
        description="Page furniture left out of the text: running headers and footers, page numbers, DOI, licence "
        "and author-contribution lines (one a line). Not evidence for the report's claims.",
    )
    references: str = Field(
        default="", description="The part of the page that is the paper's reference list, left out of the text."
    )

    @property
    def address(self) -> str:
        """A short human address: 'page 3', 'chunk 2', 'frame 4'."""
        return f"{self.kind} {self.index}"


class SourceMeta(BaseModel):
    """What ingest learned about one source file as a whole."""

    source: str
    kind: str
    units: int = 0
    pages: int | None = None
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    affiliations: list[str] = Field(default_factory=list, description="Institutions named above a paper's abstract.")
    venue: str = Field(default="", description="Where a paper appeared, as its first page states it.")
    links: list[str] = Field(default_factory=list)
    method: str = ""
    language: str = Field(default="", description="The spoken language of a video or audio file ('en', 'zh'), when known.")
    error: str = Field(default="", description="Why the file gave no units, if it failed.")


class SentenceVectors(BaseModel):
    """Sentence embeddings computed once at ingest (``shared.embeddings.table``): one row per key."""

    encoder: str = Field(description="The encoder and precision of the rows; rows of another encoder are ignored.")
    keys: list[str] = Field(default_factory=list, description="The hash of each sentence's text (``embeddings.key``).")
    rows: str = Field(default="", description="The rows, float16, row after row, base64.")


class EvidencePack(BaseModel):
    """Every unit of a task, plus per-source metadata and the files that were skipped; the ingest
    service adds the embeddings of the units' sentences (packs without them are read as before)."""

    task_id: str
    units: list[Unit] = Field(default_factory=list)
    sources: list[SourceMeta] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    vectors: SentenceVectors | None = None

    def units_of(self, source: str) -> list[Unit]:
        """The units of one source file, in address order."""
        return [u for u in self.units if u.source == source]
