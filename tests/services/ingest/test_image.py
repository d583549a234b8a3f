import base64
import io

import pytest

from services.ingest.endpoints import Endpoints
from services.ingest.errors import SourceError
from tests.services.ingest.media import cjk_font_path, png_bytes, scripted_endpoint, text_image

pytest.importorskip("rapidocr")
from PIL import Image

from services.ingest.image import read_image

NO_MODEL = Endpoints(base_url="", vision_model="")


@pytest.fixture(scope="module")
def picture() -> bytes:
    font = cjk_font_path() or pytest.skip("no font with Chinese glyphs on this machine")
    return png_bytes(text_image(["Figure 2: accuracy by model", "图二：各模型的准确率"], (960, 540), font))


def test_an_image_is_one_unit_with_its_chinese_and_english_text(picture):
    units, meta = read_image("figure.png", picture, endpoints=NO_MODEL)
    assert [(u.kind, u.index, u.method) for u in units] == [("image", 1, "rapidocr")]
    assert "Figure 2: accuracy by model" in units[0].text
    assert "图二：各模型的准确率" in units[0].text
    assert (meta.kind, meta.units) == ("image", 1)


def test_the_image_unit_has_a_small_jpeg_thumbnail(picture):
    unit = read_image("figure.png", picture, endpoints=NO_MODEL)[0][0]
    thumbnail = Image.open(io.BytesIO(base64.b64decode(unit.thumbnail)))
    assert thumbnail.format == "JPEG"
    assert thumbnail.width == 320


def test_user_descriptions_are_attached_and_marked():
    blank = png_bytes(text_image([], (200, 100)))
    unit = read_image("photo.png", blank, provided=["A cat on a desk."], endpoints=NO_MODEL)[0][0]
    assert unit.text == "Description (provided by the user): A cat on a desk."
    assert unit.method == "user-description"


def test_a_vision_model_describes_the_image_when_configured(picture):
    reply = {"id": "1", "object": "chat.completion", "created": 0, "model": "vl", "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "A bar chart."}}]}
    with scripted_endpoint({"/v1/chat/completions": reply}) as (url, asked):
        unit = read_image("figure.png", picture, endpoints=Endpoints(base_url=url, vision_model="vl"))[0][0]
    assert asked == ["/v1/chat/completions"]
    assert "Description (vision model): A bar chart." in unit.text
    assert unit.method == "rapidocr+vision:vl"


def test_an_image_with_nothing_to_say_fails_clearly():
    with pytest.raises(SourceError, match="no text was read"):
        read_image("blank.png", png_bytes(text_image([], (200, 100))), endpoints=NO_MODEL)


def test_bytes_that_are_not_an_image_fail_clearly():
    with pytest.raises(SourceError, match="not a readable image"):
        read_image("photo.jpg", b"not an image", endpoints=NO_MODEL)
