"""Videos as one ``frame`` unit per slide: the slide text read by OCR plus what was said while it was shown.

``[video.mp4, Frame N]`` cites the N-th slide found by ``frames.detect_slides``; the unit carries
the slide's time window (``start``/``end``, seconds), a thumbnail, and a method such as
``rapidocr+subtitle-file`` that says how the slide text and the speech were obtained
(``audio.read_speech`` gives the order of speech sources). Each cue of speech belongs to the one
slide it overlaps most (``subtitles.cues_by_window``), so nothing said is quoted under two frames.
"""

from __future__ import annotations

from services.ingest.audio import media_seconds, read_speech
from services.ingest.endpoints import Endpoints
from services.ingest.frames import Slide, detect_slides
from services.ingest.image import open_image, thumbnail
from services.ingest.limits import DEFAULT_LIMITS, IngestLimits, check_duration
from services.ingest.ocr import METHOD as OCR_METHOD
from services.ingest.ocr import read_text
from services.ingest.subtitles import Cue, cues_by_window, join_cues
from shared.units import SourceMeta, Unit


def frame_text(slide_text: str, speech: str) -> str:
    """A frame unit's text: the slide text, then the speech, each labelled; '' when both are empty."""
    parts = [f"Slide: {slide_text}" if slide_text else "", f"Speech: {speech}" if speech else ""]
    return "\n\n".join(part for part in parts if part)


def frame_unit(name: str, slide: Slide, cues: list[Cue], method: str) -> Unit:
    """The unit of one slide: its OCR text and the speech of ``cues`` (those said while it was shown)."""
    image = open_image(name, slide.picture)
    text = frame_text(read_text(image), join_cues(cues))
    return Unit(
        source=name, kind="frame", index=slide.number, text=text, method=method,
        start=round(slide.start, 3), end=round(slide.end, 3), thumbnail=thumbnail(image),
    )


def read_video(
    name: str,
    data: bytes,
    subtitles: bytes | None = None,
    limits: IngestLimits | None = None,
    endpoints: Endpoints | None = None,
    language: str = "",
) -> tuple[list[Unit], SourceMeta]:
    """A video's ``frame`` units, one per slide that has slide text or speech, numbered from 1 by
    slide order (at most ``limits.max_frames`` slides are kept: the strongest changes).
    ``subtitles`` is the content of a same-stem ``.srt``/``.vtt`` file, when there is one;
    ``language`` the request's (see ``audio.read_speech``). Raises ``SourceError`` for an
    unreadable or too-long video or a missing ``video`` extra."""
    limits = limits or DEFAULT_LIMITS
    check_duration(name, media_seconds(data), limits)
    slides = detect_slides(data, cap=limits.max_frames)
    speech = read_speech(name, data, subtitles, endpoints, language)
    method = "+".join(filter(None, (OCR_METHOD, speech.method)))
    said = cues_by_window(speech.cues, [(slide.start, slide.end) for slide in slides])
    units = [unit for unit in (frame_unit(name, slide, cues, method) for slide, cues in zip(slides, said, strict=False)) if unit.text]
    meta = SourceMeta(source=name, kind="video", units=len(units), method=method, language=speech.language)
    return units, meta
