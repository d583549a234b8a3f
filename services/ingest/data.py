"""JSON data files (other than retrieved web pages) flattened into readable ``path: value`` lines."""

from __future__ import annotations

import json

from services.ingest.errors import SourceError
from services.ingest.textfiles import decode_text, pack_lines
from shared.units import SourceMeta, Unit


def scalar_text(value: object) -> str:
    """A JSON scalar as text: strings on one line, ``true``/``false``/``null`` as in JSON."""
    if isinstance(value, str):
        return " ".join(value.split())
    return json.dumps(value)


def flatten(value: object, path: str = "") -> list[str]:
    """``value`` as ``path: value`` lines: object keys joined by dots, list items by ``[i]``, and a
    list of scalars on one line separated by commas. Empty objects and lists give no line."""
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in flatten(item, f"{path}.{key}" if path else str(key))]
    if isinstance(value, list):
        if value and not any(isinstance(item, dict | list) for item in value):
            return [f"{path}: {', '.join(scalar_text(item) for item in value)}" if path else ", ".join(map(scalar_text, value))]
        return [line for number, item in enumerate(value) for line in flatten(item, f"{path}[{number}]")]
    return [f"{path}: {scalar_text(value)}" if path else scalar_text(value)]


def parse_json(name: str, text: str) -> object:
    """The value of a ``.json`` file, or the list of values of a ``.jsonl`` file (one per line)."""
    try:
        if name.lower().endswith(".jsonl"):
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{name} is not readable JSON: {exc}") from exc


def read_json(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """A ``.json`` or ``.jsonl`` file as ``text`` units (index from 1) of flattened ``path: value``
    lines, about 1500 characters each. Raises ``SourceError`` for invalid JSON or no values."""
    text, encoding = decode_text(data)
    pieces = pack_lines([line for line in flatten(parse_json(name, text)) if line.strip()])
    if not pieces:
        raise SourceError(f"{name} holds no values")
    method = f"json/{encoding}"
    units = [
        Unit(source=name, kind="text", index=number, text=piece, method=method)
        for number, piece in enumerate(pieces, start=1)
    ]
    return units, SourceMeta(source=name, kind="json", units=len(units), method=method)
