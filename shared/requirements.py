"""What a writing request asks for, read from its text by a deterministic parser."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LengthRange(BaseModel):
    """A length target. ``unit`` is 'zi' (字数), 'words' or 'characters'; either bound may be open."""

    minimum: int | None = None
    maximum: int | None = None
    unit: str = "zi"
    text: str = Field(default="", description="The phrase of the request the range was read from.")


class Section(BaseModel):
    """One required section: its number as written ('（1）', '1.', '一、') and its name."""

    marker: str
    name: str


class Requirements(BaseModel):
    """Everything the checks compare a report against."""

    title: str = ""
    sections: list[Section] = Field(default_factory=list)
    length: LengthRange | None = None
    language: str = "zh"
    cite_sources: bool = False


def parse_request(query: str) -> Requirements:
    """Read the title (《…》), numbered sections, length range and language from a request."""
    raise NotImplementedError
