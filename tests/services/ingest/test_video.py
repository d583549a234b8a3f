import base64
import io
from itertools import pairwise

import pytest

from services.ingest.errors import SourceError
from services.ingest.limits import IngestLimits
from tests.services.ingest.media import Caption, Slide, cjk_font_path, slideshow

pytest.importorskip("av")
pytest.importorskip("rapidocr")
from PIL import Image

from services.ingest.frames import detect_slides
from services.ingest.video import read_video

SLIDES = [
    Slide(("Introduction", "redline reads slides"), 3),
    Slide(("Results", "BLEU 28.4"), 3),
    Slide(("Results", "BLEU 28.4", "ROUGE 41.0"), 3),  # one line added: a small change
    Slide(("结论", "注意力机制很重要"), 3),
    Slide(("Flash slide",), 1),  # shorter than the minimum spacing: absorbed by the next slide
    Slide(("Thank you", "Questions"), 3),
]
CAPTIONS = [
    Caption(0.5, 2.5, "Welcome to the talk"),
    Caption(3.5, 5.5, "The BLEU score is 28.4"),
    Caption(9.5, 11.5, "我们的结论"),
    Caption(13.5, 15.5, "Thanks for listening"),
]
STARTS = [0, 3, 6, 9, 12]
ENDS = [3, 6, 9, 12, 16]


@pytest.fixture(scope="module")
def video() -> bytes:
    return slideshow(SLIDES, CAPTIONS, font_path=cjk_font_path())


@pytest.fixture(scope="module")
def read(video):
    return read_video("talk.mp4", video)


def test_one_frame_unit_per_slide_numbered_from_one(read):
    units, meta = read
    assert [(u.kind, u.index) for u in units] == [("frame", n) for n in range(1, 6)]
    assert (meta.kind, meta.units) == ("video", 5)


def test_frames_start_at_the_slide_changes_and_end_at_the_next(read):
    units, _ = read
    assert [u.start for u in units] == pytest.approx(STARTS, abs=0.5)
    assert [u.end for u in units] == pytest.approx(ENDS, abs=0.5)


def test_slide_text_is_read_by_ocr(read):
    units, _ = read
    assert "Introduction" in units[0].text
    assert "redline reads slides" in units[0].text
    assert "ROUGE 41.0" in units[2].text
    assert "ROUGE" not in units[1].text


def test_chinese_slide_text_is_read(read):
    if not cjk_font_path():
        pytest.skip("no font with Chinese glyphs on this machine")
    assert "注意力机制很重要" in read[0][3].text


def test_a_slide_shorter_than_the_spacing_is_pictured_as_it_settled(read):
    assert "Thank you" in read[0][4].text
    assert "Flash slide" not in read[0][4].text


def test_embedded_subtitles_land_in_the_window_of_their_slide(read):
    units, _ = read
    assert "Speech: Welcome to the talk" in units[0].text
    assert "The BLEU score is 28.4" in units[1].text
    assert "Welcome" not in units[1].text
    assert "Speech:" not in units[2].text
    assert "我们的结论" in units[3].text


def test_method_names_ocr_and_the_speech_source(read):
    assert {u.method for u in read[0]} == {"rapidocr+embedded-subtitles"}


def test_each_frame_has_a_small_jpeg_thumbnail(read):
    image = Image.open(io.BytesIO(base64.b64decode(read[0][0].thumbnail)))
    assert image.format == "JPEG"
    assert image.width <= 320


def test_slides_are_the_same_on_every_read(video):
    first, second = detect_slides(video, cap=50), detect_slides(video, cap=50)
    assert [(s.number, s.start, s.end) for s in first] == [(s.number, s.start, s.end) for s in second]


def test_the_cap_keeps_the_strongest_changes_and_covers_the_whole_video(video):
    slides = detect_slides(video, cap=3)
    assert [s.number for s in slides] == [1, 2, 3]
    assert slides[0].start == 0
    assert slides[-1].end == pytest.approx(16, abs=0.5)
    assert all(a.end == b.start for a, b in pairwise(slides))
    assert 6 not in [round(s.start) for s in slides]  # the one-line change is the weakest


def test_a_video_over_the_length_limit_fails_with_the_limit(video):
    with pytest.raises(SourceError, match="REDLINE_INGEST_MAX_VIDEO_SECONDS"):
        read_video("talk.mp4", video, limits=IngestLimits(max_video_seconds=5))


def test_bytes_that_are_not_a_video_fail_clearly():
    with pytest.raises(SourceError, match="not a readable video"):
        read_video("talk.mp4", b"this is not a video at all" * 10)
