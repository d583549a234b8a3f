"""Text read from pictures by RapidOCR on onnxruntime (the ``video`` extra).

The Chinese-and-English detection and recognition models ship inside the ``rapidocr`` wheel, so
reading needs no network. The engine is built once per process, on first use.
"""

from __future__ import annotations

import functools

from services.ingest.extras import load
from shared.textjoin import separate_run_ons

METHOD = "rapidocr"
DETECT_SIDE = 736
"""Pictures are scaled so their longer side is at most this many pixels before text detection:
slide text of 720p and 1080p videos stays legible, and detection costs a third of a second a frame."""


@functools.cache
def engine():
    """The process's RapidOCR engine (Chinese and English, no angle classifier: slides and photos
    of text are upright)."""
    rapidocr = load("rapidocr", "video", "Reading text from images and video frames")
    return rapidocr.RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Det.limit_type": "max",
            "Det.limit_side_len": DETECT_SIDE,
        }
    )


def read_text(image) -> str:
    """The text lines RapidOCR finds in ``image`` (a PIL image), top to bottom, one per line; ''
    when it finds none. Raises ``SourceError`` when the ``video`` extra is missing."""
    result = engine()(image.convert("RGB"))
    return "\n".join(separate_run_ons(line.strip()) for line in (result.txts or ()) if line.strip())
