import importlib.util

import pytest

from services.ingest.endpoints import Endpoints
from services.ingest.errors import SourceError
from services.ingest.subtitles import Cue
from tests.services.ingest.media import Caption, Slide, scripted_endpoint, slideshow, tone_wav

pytest.importorskip("av")
from services.ingest.audio import embedded_cues, read_audio, read_speech  # noqa: E402

SRT = b"1\n00:00:00,500 --> 00:00:02,000\nHello from the file\n\n2\n00:01:05,000 --> 00:01:07,000\nLater words\n"
NOTHING = Endpoints(base_url="", transcribe_model="", whisper_model="")


@pytest.fixture(scope="module")
def captioned() -> bytes:
    return slideshow([Slide(("A",), 2), Slide(("B",), 2)], [Caption(0.5, 1.5, "first words"), Caption(2.5, 3.5, "第二句")])


def test_embedded_subtitles_are_read_with_their_times(captioned):
    assert embedded_cues(captioned) == [Cue(0.5, 1.5, "first words"), Cue(2.5, 3.5, "第二句")]


def test_a_subtitle_file_is_preferred_over_embedded_subtitles(captioned):
    cues, method = read_speech("talk.mp4", captioned, SRT, NOTHING)
    assert method == "subtitle-file" and cues[0].text == "Hello from the file"


def test_embedded_subtitles_are_used_without_a_subtitle_file(captioned):
    assert read_speech("talk.mp4", captioned, None, NOTHING)[1] == "embedded-subtitles"


def test_no_speech_source_gives_no_cues():
    assert read_speech("tone.wav", tone_wav(1.0), None, NOTHING) == ([], "")


def test_audio_with_a_subtitle_file_becomes_timed_transcript_units():
    units, meta = read_audio("talk.wav", tone_wav(2.0), SRT, endpoints=NOTHING)
    assert [(u.kind, u.index, u.start, u.end, u.text) for u in units] == [
        ("audio", 1, 0.5, 2.0, "Hello from the file"),
        ("audio", 2, 65.0, 67.0, "Later words"),
    ]
    assert (meta.kind, meta.method) == ("audio", "subtitle-file")


def test_audio_without_any_speech_source_says_what_to_configure():
    with pytest.raises(SourceError, match="REDLINE_WHISPER_MODEL.*REDLINE_TRANSCRIBE_MODEL"):
        read_audio("tone.wav", tone_wav(1.0), endpoints=NOTHING)


@pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is not None, reason="the asr extra is installed")
def test_offline_speech_to_text_without_the_asr_extra_names_it():
    with pytest.raises(SourceError, match="'asr' extra"):
        read_speech("tone.wav", tone_wav(1.0), None, Endpoints(whisper_model="whisper-folder"))


def test_a_transcription_endpoint_gives_timed_segments():
    reply = {"text": "hello there", "segments": [
        {"id": 0, "start": 0.0, "end": 1.5, "text": " hello"}, {"id": 1, "start": 1.5, "end": 3.0, "text": " there"}]}
    with scripted_endpoint({"/v1/audio/transcriptions": reply}) as (url, asked):
        endpoints = Endpoints(base_url=url, api_key="test", transcribe_model="whisper-1")
        cues, method = read_speech("tone.wav", tone_wav(1.0), None, endpoints)
    assert method == "openai-transcription" and asked == ["/v1/audio/transcriptions"]
    assert cues == [Cue(0.0, 1.5, "hello"), Cue(1.5, 3.0, "there")]


def test_media_bytes_that_do_not_decode_fail_clearly():
    with pytest.raises(SourceError, match="not a readable video or audio file"):
        read_audio("talk.wav", b"RIFF but not really" * 5, SRT, endpoints=NOTHING)


def test_a_subtitle_file_without_cues_is_passed_over(captioned):
    assert read_speech("talk.mp4", captioned, b"not subtitles", NOTHING)[1] == "embedded-subtitles"
