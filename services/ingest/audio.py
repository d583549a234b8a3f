"""Speech in audio and video files, as timed cues and as transcript units.

Speech comes from the first source that has it, in this order (the ``method`` of each unit names it):

1. ``subtitle-file`` — a ``.srt``/``.vtt`` file beside the media file with the same stem (the caller
   passes its bytes);
2. ``embedded-subtitles`` — a text subtitle stream inside the file (the ``video`` extra reads it);
3. ``faster-whisper`` — offline speech-to-text with the ``asr`` extra and a local model folder
   named by ``REDLINE_WHISPER_MODEL``;
4. ``openai-transcription`` — an OpenAI-compatible transcription endpoint (``OPENAI_BASE_URL`` and
   ``REDLINE_TRANSCRIBE_MODEL``).
"""

from __future__ import annotations

import io
import re

from services.ingest.endpoints import Endpoints, call
from services.ingest.errors import SourceError
from services.ingest.extras import load
from services.ingest.limits import IngestLimits, check_duration
from services.ingest.subtitles import Cue, read_subtitles, transcript_units
from shared.units import SourceMeta, Unit

ASS_MARKUP = re.compile(r"\{[^}]*\}")


def open_media(data: bytes):
    """A PyAV container over ``data``. Raises ``SourceError`` when it is not a media file."""
    av = load("av", "video", "Reading audio and video")
    try:
        return av.open(io.BytesIO(data))
    except av.FFmpegError as exc:
        raise SourceError(f"not a readable video or audio file ({exc})") from exc


def media_seconds(data: bytes) -> float:
    """How long the media file lasts, in seconds (0.0 when the container does not say)."""
    with open_media(data) as container:
        return container.duration / 1_000_000 if container.duration else 0.0


def subtitle_text(subtitle) -> str:
    """The plain text of one decoded PyAV subtitle (ASS dialogue without markup, ``\\N`` as newline)."""
    raw = getattr(subtitle, "dialogue", None) or getattr(subtitle, "text", b"") or b""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return ASS_MARKUP.sub("", text).replace("\\N", "\n").replace("\\n", "\n").strip()


def embedded_cues(data: bytes) -> list[Cue]:
    """The cues of the first text subtitle stream inside a media file, by start time; [] when it has none."""
    with open_media(data) as container:
        if not container.streams.subtitles:
            return []
        stream = container.streams.subtitles[0]
        cues = []
        for packet in container.demux(stream):
            if packet.pts is None or not packet.size:
                continue
            start = float(packet.pts * packet.time_base)
            end = start + float((packet.duration or 0) * packet.time_base)
            text = "\n".join(filter(None, (subtitle_text(sub) for sub in packet.decode())))
            if text:
                cues.append(Cue(start, max(start, end), text))
    return sorted(cues, key=lambda cue: cue.start)


def whisper_cues(data: bytes, model_folder: str) -> list[Cue]:
    """Speech recognised offline by faster-whisper with the CTranslate2 model in ``model_folder``
    (language detected, int8 on CPU). Raises ``SourceError`` when the ``asr`` extra is missing."""
    faster_whisper = load("faster_whisper", "asr", "Offline speech-to-text")
    model = faster_whisper.WhisperModel(model_folder, device="cpu", compute_type="int8")
    segments, _ = model.transcribe(io.BytesIO(data), vad_filter=True)
    return [Cue(seg.start, seg.end, seg.text.strip()) for seg in segments if seg.text.strip()]


def endpoint_cues(name: str, data: bytes, endpoints: Endpoints) -> list[Cue]:
    """Speech transcribed by the configured OpenAI-compatible endpoint: its segments, or one cue
    over the whole file when it returns text only."""
    client = endpoints.client()
    reply = call(
        f"Transcribing {name}",
        lambda: client.audio.transcriptions.create(
            model=endpoints.transcribe_model, file=(name, data), response_format="verbose_json"
        ),
    )
    segments = getattr(reply, "segments", None) or []
    if segments:
        return [Cue(float(s.start), float(s.end), s.text.strip()) for s in segments if s.text.strip()]
    text = (getattr(reply, "text", "") or "").strip()
    return [Cue(0.0, media_seconds(data), text)] if text else []


def read_speech(
    name: str, data: bytes, subtitles: bytes | None = None, endpoints: Endpoints | None = None
) -> tuple[list[Cue], str]:
    """The speech of a media file as cues and the method that found it, from the first source
    (in the order above) that has any; ``([], "")`` when none does. A subtitle file without cues is
    passed over."""
    endpoints = endpoints or Endpoints()
    if subtitles:
        try:
            return read_subtitles(name, subtitles), "subtitle-file"
        except SourceError:
            pass  # a subtitle file without cues: the next source may still have the speech
    cues = embedded_cues(data)
    if cues:
        return cues, "embedded-subtitles"
    if endpoints.whisper_model:
        return whisper_cues(data, endpoints.whisper_model), "faster-whisper"
    if endpoints.transcription:
        return endpoint_cues(name, data, endpoints), "openai-transcription"
    return [], ""


def read_audio(
    name: str,
    data: bytes,
    subtitles: bytes | None = None,
    limits: IngestLimits | None = None,
    endpoints: Endpoints | None = None,
) -> tuple[list[Unit], SourceMeta]:
    """An audio file as transcript units of about a minute each (kind ``audio``, index from 1,
    with their time window). Raises ``SourceError`` when it is too long or no speech source is
    available."""
    check_duration(name, media_seconds(data), limits or IngestLimits())
    cues, method = read_speech(name, data, subtitles, endpoints)
    if not cues:
        raise SourceError(
            f"{name}: no speech found: give a subtitle file with the same name (.srt/.vtt), install the "
            "'asr' extra and set REDLINE_WHISPER_MODEL, or set OPENAI_BASE_URL and REDLINE_TRANSCRIBE_MODEL"
        )
    units = transcript_units(name, cues, method)
    return units, SourceMeta(source=name, kind="audio", units=len(units), method=method)
