"""Images (jpg, png, gif, webp) as one ``image`` unit: the text OCR reads in it, a description from a
vision model when one is configured, and descriptions the user provided, each labelled."""

from __future__ import annotations

import base64
import io

from services.ingest.endpoints import OFFLINE, Endpoints, call
from services.ingest.errors import SourceError
from services.ingest.extras import load
from services.ingest.ocr import METHOD as OCR_METHOD
from services.ingest.ocr import read_text
from shared.units import SourceMeta, Unit

THUMBNAIL_WIDTH = 320
VISION_SIDE = 1536
"""Images sent to a vision model are scaled to at most this many pixels on their longer side."""
VISION_PROMPT = (
    "Describe this image for someone who cannot see it: what it shows, and every number, label, "
    "axis, legend and piece of text in it. Answer in the language of the text in the image."
)


def open_image(name: str, data: bytes):
    """The first frame of an image file as an RGB PIL image. Raises ``SourceError`` when it is not
    an image Pillow can read (or is too large to decode safely)."""
    pil = load("PIL.Image", "video", "Reading images")
    try:
        with pil.open(io.BytesIO(data)) as image:
            return image.convert("RGB")
    except (pil.UnidentifiedImageError, pil.DecompressionBombError, OSError) as exc:
        raise SourceError(f"{name} is not a readable image ({exc})") from exc


def jpeg_base64(image, box: tuple[int, int], quality: int) -> str:
    """``image`` scaled to fit ``box`` (width, height; never enlarged), as base64 JPEG."""
    copy = image.convert("RGB")
    copy.thumbnail(box)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=quality)
    return base64.b64encode(out.getvalue()).decode("ascii")


def thumbnail(image) -> str:
    """A base64 JPEG of ``image`` at most ``THUMBNAIL_WIDTH`` pixels wide."""
    return jpeg_base64(image, (THUMBNAIL_WIDTH, image.height), quality=70)


def describe(name: str, image, endpoints: Endpoints) -> str:
    """The configured vision model's description of ``image``."""
    client = endpoints.client()
    url = "data:image/jpeg;base64," + jpeg_base64(image, (VISION_SIDE, VISION_SIDE), quality=90)
    reply = call(
        f"Describing {name}",
        lambda: client.chat.completions.create(
            model=endpoints.vision_model,
            messages=[{"role": "user", "content": [
                {"type": "text", "text": VISION_PROMPT},
                {"type": "image_url", "image_url": {"url": url}},
            ]}],
        ),
    )
    return (reply.choices[0].message.content or "").strip() if reply.choices else ""


def read_image(
    name: str, data: bytes, provided: list[str] | None = None, endpoints: Endpoints | None = None
) -> tuple[list[Unit], SourceMeta]:
    """One ``image`` unit (index 1) whose text holds, each labelled and when present: the text OCR
    reads, a vision model's description (when ``endpoints`` name a base URL and a vision model) and
    the ``provided`` user descriptions. Its method lists the sources, e.g.
    ``rapidocr+vision:MODEL+user-description``. Raises ``SourceError`` when the file is not an image
    or nothing could be said about it."""
    endpoints = endpoints or OFFLINE
    image = open_image(name, data)
    parts = [(OCR_METHOD, "Text in image", read_text(image))]
    if endpoints.vision:
        parts.append((f"vision:{endpoints.vision_model}", "Description (vision model)", describe(name, image, endpoints)))
    parts += [("user-description", "Description (provided by the user)", text.strip()) for text in provided or []]
    found = [(method, label, text) for method, label, text in parts if text]
    if not found:
        raise SourceError(f"{name}: no text was read from the image and no description is available")
    method = "+".join(dict.fromkeys(method for method, _, _ in found))
    text = "\n\n".join(f"{label}: {text}" for _, label, text in found)
    unit = Unit(source=name, kind="image", index=1, text=text, method=method, thumbnail=thumbnail(image))
    return [unit], SourceMeta(source=name, kind="image", units=1, method=method)
