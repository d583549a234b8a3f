"""The citation grammar: find, parse, format and resolve citations in report text.

(Interface fixed; bodies being written.)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from shared.units import Unit

CitationKind = Literal["page", "chunk", "frame", "image", "web", "file"]


class Citation(BaseModel):
    """One cited source inside a bracket. ``first``/``last`` are the page/chunk/frame range."""

    kind: CitationKind
    source: str
    first: int | None = None
    last: int | None = None
    raw: str = ""


class CitationGroup(BaseModel):
    """One bracket in the text, ``[a; b]``, with its character span and the citations inside."""

    start: int
    end: int
    raw: str
    citations: list[Citation]


def find_citations(text: str) -> list[CitationGroup]:
    """Every bracket of ``text`` that parses as citations, in order of appearance."""
    raise NotImplementedError


def format_citation(citation: Citation, lang: str = "zh") -> str:
    """The canonical bracket for one citation."""
    raise NotImplementedError


def unit_citation(unit: Unit, lang: str = "zh") -> str:
    """The canonical bracket that cites exactly ``unit``."""
    raise NotImplementedError


def resolve(citation: Citation, units: list[Unit]) -> list[Unit]:
    """The units a citation points at; empty when it points at nothing that exists."""
    raise NotImplementedError


def strip_citations(text: str) -> str:
    """``text`` without its citation brackets."""
    raise NotImplementedError
