"""The parsed requirements as a user reads them: what the checks compared the report against."""

from __future__ import annotations

from services.validate.length import convention, describe_range
from shared.requirements import Requirements


def describe_requirements(requirements: Requirements) -> dict[str, str]:
    """One readable line per requirement, keyed by name; requirements the request does not state
    are given as 'not stated'."""
    length = requirements.length
    sections = "；".join(f"{s.marker}{s.name}" for s in requirements.sections)
    return {
        "title": f"《{requirements.title}》" if requirements.title else "not stated",
        "sections": sections or "not stated",
        "length": f"{describe_range(length)} ({convention(length.unit)})" if length else "not stated",
        "language": requirements.language or "not stated",
        "citations": "required" if requirements.cite_sources else "not required",
        "format": requirements.output_format
        + (", with a table" if requirements.table else "")
        + (", no bullet points" if requirements.no_bullets else ""),
        "register": requirements.tone or "not stated",
    }
