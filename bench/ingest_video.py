"""Frames + OCR of a generated 10-minute 720p slideshow with 40 slide changes.

    python -m bench.ingest_video [--minutes 10] [--changes 40]

The slideshow (25 fps H.264; every fourth change only adds a line to the slide before, the
hardest kind to see) is written first; a child process then finds the slides and reads their
text, so its peak resident memory is that of ingesting the video alone. Prints JSON: wall seconds
for slide detection and for OCR, slides found against slides shown, and peak RSS. Targets on a
2-core machine: frames + OCR at most 60 s, peak RSS at most 1.5 GB.
The baseline is the reference system's method on the same video: 8 evenly spaced frames, no
OCR; it reports how many of the slides shown those frames land on.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from services.ingest.frames import detect_slides
from services.ingest.video import frame_unit
from tests.services.ingest.media import Slide, cjk_font_path, slideshow

TARGET_SECONDS = 60.0
TARGET_RSS_MB = 1536.0


def deck(minutes: float, changes: int) -> list[Slide]:
    """``changes + 1`` slides sharing the video's length; every fourth one adds a line to the one before."""
    seconds = minutes * 60 / (changes + 1)
    slides: list[Slide] = []
    for number in range(changes + 1):
        if number % 4 == 3:
            lines = (*slides[-1].lines, f"追加要点 {number}: the gain holds on held-out data")
        else:
            lines = (f"Section {number}: results of experiment {number}", f"实验 {number} 的主要结论",
                     f"Accuracy {60 + number}.5% on test set {number}")
        slides.append(Slide(lines, seconds))
    return slides


def slides_seen_by_even_frames(slides: list[Slide], frames: int = 8) -> int:
    """How many distinct slides ``frames`` evenly spaced frames (centred in equal parts) land on."""
    ends, total = [], 0.0
    for slide in slides:
        total += slide.seconds
        ends.append(total)
    times = [(k + 0.5) * total / frames for k in range(frames)]
    return len({next(i for i, end in enumerate(ends) if t < end) for t in times})


def measure(path: Path) -> dict:
    """Slide detection and OCR of the video at ``path``, timed, with this process's peak RSS."""
    data = path.read_bytes()
    started = time.perf_counter()
    slides = detect_slides(data, cap=500)
    detected = time.perf_counter()
    units = [frame_unit(path.name, slide, [], "rapidocr") for slide in slides]
    finished = time.perf_counter()
    return {
        "slides_found": len(slides),
        "units_with_text": sum(1 for unit in units if unit.text),
        "frames_seconds": round(detected - started, 2),
        "ocr_seconds": round(finished - detected, 2),
        "total_seconds": round(finished - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    slides = deck(args.minutes, args.changes)
    started = time.perf_counter()
    video = slideshow(slides, size=(1280, 720), fps=25, font_path=cjk_font_path())
    generated = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "slideshow.mp4"
        path.write_bytes(video)
        child = subprocess.run(
            [sys.executable, "-m", "bench.ingest_video", "--measure", str(path)],
            capture_output=True, text=True, check=True,
        )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result.update(
        video_minutes=args.minutes, slides_shown=len(slides), video_mb=round(len(video) / 2**20, 1),
        baseline_8_even_frames_slides_seen=slides_seen_by_even_frames(slides),
        generate_seconds=round(generated, 1),
        meets_targets=result["total_seconds"] <= TARGET_SECONDS and result["peak_rss_mb"] <= TARGET_RSS_MB,
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
