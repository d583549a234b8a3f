"""Slide changes in a video, found by differencing small grayscale frames (the ``video`` extra).

The video is sampled every ``SAMPLE_SECONDS``. Each sample is scaled to ``SMALL_WIDTH`` pixels wide in
grayscale and compared with the sample before it: its change score is the share of pixels whose
brightness moved by more than ``PIXEL_STEP`` levels. A score of ``THRESHOLD`` (0.1 % of the picture)
or more is a change: one new line of slide text scores about 0.01, a changed number 0.0015–0.004, the
compression noise of a still slide 0. (A scene score, which averages brightness over the whole picture, gives a text change only about
0.08–0.16, so scene thresholds near 0.3 miss it.) A change less than ``MIN_GAP_SECONDS`` after the
slide began is taken as part of the same slide (a transition or a build still settling), and the
slide is pictured as it looked last. When a video has more slides than the cap, the strongest
changes are kept. The same file and settings always give the same slides, so frame numbers are
stable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from services.ingest.errors import SourceError
from services.ingest.extras import load

SAMPLE_SECONDS = 0.5
SMALL_WIDTH = 160
PIXEL_STEP = 24
THRESHOLD = 0.001
MIN_GAP_SECONDS = 2.0
PICTURE_SIDE = 1280
"""Slide pictures are kept as JPEG no larger than this on their longer side."""


@dataclass(frozen=True)
class Slide:
    """One slide as shown in the video: number (from 1), time window in seconds, and a JPEG of it
    as it looked at the end of its window. ``score`` is the change score that opened it (1.0 for
    the first)."""

    number: int
    start: float
    end: float
    picture: bytes
    score: float


def change_score(before, after) -> float:
    """The share of pixels that differ by more than ``PIXEL_STEP`` between two grayscale arrays."""
    np = load("numpy", "video", "Reading video")
    return float((np.abs(before.astype(np.int16) - after.astype(np.int16)) > PIXEL_STEP).mean())


def jpeg(frame) -> bytes:
    """A decoded video frame as JPEG, scaled down to at most ``PICTURE_SIDE`` on its longer side."""
    image = frame.to_image()
    image.thumbnail((PICTURE_SIDE, PICTURE_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def open_video(data: bytes):
    """A PyAV container over ``data`` and its first video stream. Raises ``SourceError`` when the
    bytes are not a video PyAV can read."""
    av = load("av", "video", "Reading video")
    try:
        container = av.open(io.BytesIO(data))
    except av.FFmpegError as exc:
        raise SourceError(f"not a readable video or audio file ({exc})") from exc
    if not container.streams.video:
        container.close()
        raise SourceError("the file has no video stream")
    return container, container.streams.video[0]


def strongest(slides: list[Slide], cap: int) -> list[Slide]:
    """At most ``cap`` slides: the first, plus the ``cap - 1`` others opened by the highest change
    scores (earlier first on ties); each kept slide extends to the next kept one and is pictured as
    the last slide it absorbs looked. Numbers run from 1 again."""
    if len(slides) <= cap:
        return slides
    ranked = sorted(range(1, len(slides)), key=lambda i: (-slides[i].score, i))
    starts = sorted([0, *ranked[: cap - 1]])
    ends = [*starts[1:], len(slides)]
    return [
        Slide(number, slides[first].start, slides[last - 1].end, slides[last - 1].picture, slides[first].score)
        for number, (first, last) in enumerate(zip(starts, ends, strict=False), start=1)
    ]


def detect_slides(
    data: bytes,
    cap: int,
    sample_seconds: float = SAMPLE_SECONDS,
    threshold: float = THRESHOLD,
    min_gap: float = MIN_GAP_SECONDS,
) -> list[Slide]:
    """The slides of a video, in order, at most ``cap`` of them. Raises ``SourceError`` for bytes
    that are not a video with frames."""
    av = load("av", "video", "Reading video")
    container, stream = open_video(data)
    stream.thread_type = "AUTO"
    stream.codec_context.skip_frame = "NONREF"  # B-frames are never needed to sample every half second
    height = max(1, round(SMALL_WIDTH * stream.codec_context.height / max(1, stream.codec_context.width)))
    slides: list[Slide] = []
    start, score, previous, last_frame, next_sample, last_time = 0.0, 1.0, None, None, 0.0, 0.0
    try:
        for frame in container.decode(stream):
            if frame.pts is None or frame.time < next_sample:
                continue
            moment = frame.time
            next_sample = moment + sample_seconds
            small = frame.reformat(width=SMALL_WIDTH, height=height, format="gray").to_ndarray()
            change = 1.0 if previous is None else change_score(previous, small)
            if previous is not None and change >= threshold and moment - start >= min_gap:
                slides.append(Slide(len(slides) + 1, start, moment, jpeg(last_frame), score))
                start, score = moment, change
            previous, last_frame, last_time = small, frame, moment
        duration = max(last_time, container.duration / 1_000_000 if container.duration else 0.0)
    except av.FFmpegError as exc:
        raise SourceError(f"the video could not be decoded ({exc})") from exc
    finally:
        container.close()
    if last_frame is None:
        raise SourceError("the video has no frames")
    slides.append(Slide(len(slides) + 1, start, duration, jpeg(last_frame), score))
    return strongest(slides, cap)
