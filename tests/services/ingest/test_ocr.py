import pytest

from services.ingest.errors import SourceError
from services.ingest.extras import load
from tests.services.ingest.media import cjk_font_path, text_image

pytest.importorskip("rapidocr")
from services.ingest.ocr import read_text


def test_reads_english_lines_top_to_bottom():
    text = read_text(text_image(["Attention is all you need", "BLEU 28.4 on WMT14"], (960, 540)))
    assert text.splitlines() == ["Attention is all you need", "BLEU 28.4 on WMT14"]


def test_reads_chinese_text():
    font = cjk_font_path() or pytest.skip("no font with Chinese glyphs on this machine")
    assert "注意力机制的计算复杂度" in read_text(text_image(["注意力机制的计算复杂度"], (960, 540), font))


def test_a_picture_without_text_reads_as_empty():
    assert read_text(text_image([], (320, 180))) == ""


def test_a_missing_extra_names_the_extra_to_install():
    with pytest.raises(SourceError, match=r"needs the 'video' extra.*redline\[video\]"):
        load("no_such_module_for_redline", "video", "Reading text from images")
