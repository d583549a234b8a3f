"""Subtitle files (``.srt``, ``.vtt``): cues with start and end seconds, and transcript units.

Parsing is line based so that damaged files still read: a line holding ``TIME --> TIME`` starts a
cue, the lines up to the next timing line are its text, a line directly above a timing line that
is a number or starts a block is a cue number or identifier and is dropped, and WebVTT ``WEBVTT``/``NOTE``/``STYLE``/``REGION`` blocks
are skipped. A time is ``[HH:]MM:SS[,.]MS`` where the milliseconds may carry a fraction
(``00:00:04,560.0000000000009`` is 4.560 s) or have fewer than three digits (``00:13:35,6.3`` is
35.0063 s, read as a number of milliseconds). Markup (``<i>``, ``<c.x>``, ``<00:01.000>``,
``{\\an8}``) and HTML entities are removed from the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from services.ingest.errors import SourceError
from services.ingest.textfiles import LIMIT, decode_text
from shared.textjoin import join_text
from shared.units import SourceMeta, Unit

SUFFIXES = (".srt", ".vtt")
TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[,.](\d+(?:\.\d+)?))?"
TIMING = re.compile(rf"^\s*{TIME}\s*-{{1,2}}>\s*{TIME}")
BLOCK_HEADER = re.compile(r"^(WEBVTT|NOTE|STYLE|REGION)\b")
MARKUP = re.compile(r"<[^>]*>|\{\\[^}]*\}")
WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from ``start`` to ``end`` (seconds), saying ``text``."""

    start: float
    end: float
    text: str


def seconds(hours: str | None, minutes: str, secs: str, millis: str | None) -> float:
    """The time a parsed timestamp stands for, in seconds."""
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + float(millis or 0) / 1000


def clean_line(line: str) -> str:
    """A text line without markup or entities, whitespace collapsed."""
    return " ".join(html.unescape(MARKUP.sub("", line)).split())


def parse_cues(text: str) -> list[Cue]:
    """Every cue with text in subtitle ``text`` (SRT or WebVTT), ordered by start time; a cue whose
    end is before its start ends at its start."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    timings = [TIMING.match(line) for line in lines]
    found: list[tuple[float, float, list[str]]] = []
    skipping, block_start = False, True
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            skipping, block_start = False, True
            continue
        opens_block, block_start = block_start, False
        skipping = skipping or (opens_block and BLOCK_HEADER.match(stripped) is not None)
        if skipping:
            continue
        timing = timings[number]
        labels_next = number + 1 < len(lines) and timings[number + 1] and (opens_block or stripped.isdigit())
        if timing:
            groups = timing.groups()
            start, end = seconds(*groups[:4]), seconds(*groups[4:])
            found.append((start, max(start, end), []))
        elif found and not labels_next:
            found[-1][2].append(clean_line(stripped))
    cues = [Cue(start, end, "\n".join(part for part in parts if part)) for start, end, parts in found]
    return sorted((cue for cue in cues if cue.text), key=lambda cue: cue.start)


def read_subtitles(name: str, data: bytes) -> list[Cue]:
    """The cues of a subtitle file in any text encoding. Raises ``SourceError`` when it has none."""
    text, _ = decode_text(data)
    cues = parse_cues(text.lstrip("\ufeff"))
    if not cues:
        raise SourceError(f"{name} holds no subtitle cues ('00:00:01,000 --> 00:00:02,000' lines with text)")
    return cues


def cues_by_window(cues: list[Cue], windows: list[tuple[float, float]]) -> list[list[Cue]]:
    """``cues`` shared out among time ``windows`` (start, end): each cue goes to the one window it
    overlaps most (the earlier on a tie), or to the nearest when it overlaps none, so every cue is
    said in exactly one window; each list in start order."""
    shares: list[list[Cue]] = [[] for _ in windows]
    for cue in cues:
        best = max(
            range(len(windows)),
            key=lambda i: (overlap(cue, *windows[i]), -distance(cue, *windows[i]), -i),
            default=None,
        )
        if best is not None:
            shares[best].append(cue)
    return shares


def overlap(cue: Cue, start: float, end: float) -> float:
    """How many seconds of ``cue`` fall inside the window from ``start`` to ``end``."""
    return max(0.0, min(cue.end, end) - max(cue.start, start))


def distance(cue: Cue, start: float, end: float) -> float:
    """How many seconds lie between ``cue`` and the window from ``start`` to ``end`` (0 when they touch)."""
    return max(0.0, start - cue.end, cue.start - end)


def join_cues(cues: list[Cue]) -> str:
    """The words of ``cues`` as running text (``shared.textjoin.join_text`` over their lines)."""
    return join_text(part for cue in cues for part in cue.text.split("\n"))


def group_cues(cues: list[Cue], window: float = WINDOW_SECONDS, limit: int = LIMIT) -> list[list[Cue]]:
    """Consecutive cues gathered into groups spanning at most ``window`` seconds from their first
    start and holding at most about ``limit`` characters."""
    groups: list[list[Cue]] = []
    for cue in cues:
        current = groups[-1] if groups else []
        if current and cue.start - current[0].start < window and len(join_cues([*current, cue])) <= limit:
            current.append(cue)
        else:
            groups.append([cue])
    return groups


def transcript_units(name: str, cues: list[Cue], method: str) -> list[Unit]:
    """Timed ``audio`` units (index from 1) of about a minute of speech each."""
    return [
        Unit(source=name, kind="audio", index=number, text=join_cues(group), method=method,
             start=group[0].start, end=max(cue.end for cue in group))
        for number, group in enumerate(group_cues(cues), start=1)
    ]


def sidecar_for(video: str, names: Iterable[str]) -> str | None:
    """The subtitle file beside ``video``: ``STEM.srt`` or ``STEM.vtt``, else a language-tagged
    ``STEM.LANG.srt``/``.vtt`` (first in name order); None when there is none."""
    stem = video.rsplit(".", 1)[0]
    subtitles = sorted(name for name in names if name.lower().endswith(SUFFIXES))
    exact = [name for name in subtitles if name.rsplit(".", 1)[0] == stem]
    tagged = [name for name in subtitles if name.rsplit(".", 2)[0] == stem]
    return next(iter(exact or tagged), None)


def read_subtitle_file(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """A ``.srt`` or ``.vtt`` file on its own as transcript units (``method`` 'subtitles/srt' or '.../vtt')."""
    method = "subtitles/" + name.rsplit(".", 1)[-1].lower()
    units = transcript_units(name, read_subtitles(name, data), method)
    return units, SourceMeta(source=name, kind="subtitles", units=len(units), method=method)
