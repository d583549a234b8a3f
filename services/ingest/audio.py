"""Speech in audio and video files, as timed cues and as transcript units.

Speech comes from the first source that has it, in this order (the ``method`` of each unit names it):

1. ``subtitle-file`` — a ``.srt``/``.vtt`` file beside the media file with the same stem (the caller
   passes its bytes);
2. ``embedded-subtitles`` — a text subtitle stream inside the file (the ``video`` extra reads it);
3. ``faster-whisper`` — offline speech-to-text with the ``asr`` extra and the model folder named by
   ``REDLINE_WHISPER_MODEL``;
4. ``openai-transcription`` — an OpenAI-compatible transcription endpoint (``OPENAI_BASE_URL`` and
   ``REDLINE_TRANSCRIBE_MODEL``);
5. ``faster-whisper`` with the Whisper base model the ``asr`` extra ships (``services.ingest.speechmodel``),
   unless ``REDLINE_WHISPER_MODEL`` is ``off``.

Offline speech-to-text detects the spoken language of each file; when the detection is unsure
(probability under ``SURE``) the language of the request is used instead. A Chinese transcript is
converted to simplified characters (OpenCC), whatever script the model wrote.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from services.ingest.endpoints import OFFLINE, Endpoints, call
from services.ingest.errors import SourceError
from services.ingest.extras import installed, load
from services.ingest.limits import DEFAULT_LIMITS, IngestLimits, check_duration
from services.ingest.speechmodel import shipped_model
from services.ingest.subtitles import Cue, read_subtitles, transcript_units
from shared.units import SourceMeta, Unit

ASS_MARKUP = re.compile(r"\{[^}]*\}")
OFF = "off"
"""``REDLINE_WHISPER_MODEL`` value that turns offline speech-to-text off."""
SURE = 0.8
"""Below this probability a detected language gives way to the request's language."""
LANGUAGE_CODES = {"english": "en", "en": "en", "chinese": "zh", "zh": "zh"}
"""Language names a transcription endpoint may give, as codes (others are left unknown)."""


@dataclass(frozen=True)
class Speech:
    """What was said in a media file: its cues, the method that found them, the spoken language
    (a code such as 'en' or 'zh'; '' when not known)."""

    cues: list[Cue] = field(default_factory=list)
    method: str = ""
    language: str = ""


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


def has_audio(data: bytes) -> bool:
    """Whether the media file has a sound track."""
    with open_media(data) as container:
        return bool(container.streams.audio)


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


@functools.lru_cache(maxsize=2)
def whisper_model(model_folder: str):
    """The faster-whisper model in ``model_folder`` (int8 on CPU), loaded once per process. Raises
    ``SourceError`` when the ``asr`` extra is missing or the folder is missing or holds no model."""
    faster_whisper = load("faster_whisper", "asr", "Offline speech-to-text")
    if not Path(model_folder).is_dir():  # faster-whisper would take the name for a model to download
        raise SourceError(
            f"the Whisper model folder {model_folder} (REDLINE_WHISPER_MODEL) does not exist: name a CTranslate2 "
            "model folder, or leave REDLINE_WHISPER_MODEL empty for the model the 'asr' extra ships"
        )
    try:
        return faster_whisper.WhisperModel(model_folder, device="cpu", compute_type="int8")
    except RuntimeError as exc:
        raise SourceError(f"no usable Whisper model in {model_folder}: {exc}") from exc


def whisper_speech(data: bytes, model_folder: str, hint: str = "") -> Speech:
    """Speech recognised offline by faster-whisper with the CTranslate2 model in ``model_folder``,
    in the language detected (``hint`` when detection is unsure); Chinese in simplified characters.
    Decoding is greedy, once per window (no re-decoding at higher temperatures) and without the
    text before it: half the work of a beam of five on clear speech, a sixth of the default's on
    speech the model cannot make out, and no repetition loops. Raises ``SourceError`` when the
    ``asr`` extra is missing."""
    faster_whisper = load("faster_whisper", "asr", "Offline speech-to-text")
    model = whisper_model(model_folder)
    audio = faster_whisper.decode_audio(io.BytesIO(data))
    language = spoken_language(model, audio, hint)
    segments, _ = model.transcribe(
        audio, language=language or None, vad_filter=True, beam_size=1, temperature=0.0,
        condition_on_previous_text=False,
    )
    cues = [Cue(round(seg.start, 3), round(seg.end, 3), seg.text.strip()) for seg in segments if seg.text.strip()]
    if language == "zh":
        cues = [Cue(cue.start, cue.end, simplified(cue.text)) for cue in cues]
    return Speech(cues, "faster-whisper", language)


def spoken_language(model, audio, hint: str) -> str:
    """The language the model hears in ``audio`` (16 kHz samples), or ``hint`` when it is unsure or
    hears no speech."""
    try:
        detected, probability, _ = model.detect_language(audio, vad_filter=True, language_detection_segments=2)
    except ValueError:  # no speech left once silence is removed
        return hint
    return detected if probability >= SURE or not hint else hint


@functools.cache
def chinese_converter():
    """OpenCC's traditional-to-simplified converter (the ``asr`` extra), built once."""
    opencc = load("opencc_purepy", "asr", "Simplified Chinese transcripts")
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters and phrases written in simplified ones."""
    return chinese_converter().convert(text)


def endpoint_speech(name: str, data: bytes, endpoints: Endpoints) -> Speech:
    """Speech transcribed by the configured OpenAI-compatible endpoint: its segments, or one cue
    over the whole file when it returns text only, and the language it names."""
    client = endpoints.client()
    reply = call(
        f"Transcribing {name}",
        lambda: client.audio.transcriptions.create(
            model=endpoints.transcribe_model, file=(name, data), response_format="verbose_json"
        ),
    )
    segments = getattr(reply, "segments", None) or []
    language = LANGUAGE_CODES.get(str(getattr(reply, "language", "") or "").lower(), "")
    if segments:
        cues = [Cue(float(s.start), float(s.end), s.text.strip()) for s in segments if s.text.strip()]
        return Speech(cues, "openai-transcription", language)
    text = (getattr(reply, "text", "") or "").strip()
    return Speech([Cue(0.0, media_seconds(data), text)] if text else [], "openai-transcription", language)


def read_speech(
    name: str, data: bytes, subtitles: bytes | None = None, endpoints: Endpoints | None = None, language: str = ""
) -> Speech:
    """The speech of a media file from the first source (in the order above) that has any; an
    empty ``Speech`` when none does (a file without a sound track has only subtitles). A subtitle
    file without cues is passed over. ``language`` is the request's language, used when offline
    detection is unsure."""
    endpoints = endpoints or OFFLINE
    if subtitles:
        try:
            return Speech(read_subtitles(name, subtitles), "subtitle-file")
        except SourceError:
            pass  # a subtitle file without cues: the next source may still have the speech
    cues = embedded_cues(data)
    if cues:
        return Speech(cues, "embedded-subtitles")
    if not has_audio(data):
        return Speech()
    if endpoints.whisper_model not in ("", OFF):
        return whisper_speech(data, endpoints.whisper_model, language)
    if endpoints.transcription:
        return endpoint_speech(name, data, endpoints)
    if not endpoints.whisper_model and installed("faster_whisper"):
        return whisper_speech(data, str(shipped_model()), language)
    return Speech()


def read_audio(
    name: str,
    data: bytes,
    subtitles: bytes | None = None,
    limits: IngestLimits | None = None,
    endpoints: Endpoints | None = None,
    language: str = "",
) -> tuple[list[Unit], SourceMeta]:
    """An audio file as transcript units of about a minute each (kind ``audio``, index from 1,
    with their time window); ``language`` is the request's (see ``read_speech``). Raises
    ``SourceError`` when it is too long or no speech is found."""
    check_duration(name, media_seconds(data), limits or DEFAULT_LIMITS)
    speech = read_speech(name, data, subtitles, endpoints, language)
    if not speech.cues and speech.method:
        raise SourceError(f"{name}: no speech found ({speech.method} heard none)")
    if not speech.cues:
        raise SourceError(
            f"{name}: no speech found: give a subtitle file with the same name (.srt/.vtt), install the "
            "'asr' extra (or set REDLINE_WHISPER_MODEL to a model folder), or set OPENAI_BASE_URL and "
            "REDLINE_TRANSCRIBE_MODEL"
        )
    units = transcript_units(name, speech.cues, speech.method)
    meta = SourceMeta(source=name, kind="audio", units=len(units), method=speech.method, language=speech.language)
    return units, meta
