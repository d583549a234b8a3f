"""PDF ingest speed on the corpus papers: redline's reader (PDFium text, pypdf fallback) against a
pypdf-only baseline, in one run.

    python -m bench.ingest_pdf [--repeat 3]

Target: ≥ 20 pages/s on this machine. Needs ../shared/corpus/papers (exits with a message without it).
"""

from __future__ import annotations

import argparse
import io
import json
import time
from functools import partial
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from services.ingest.pdf import clean_page_text, read_pdf

PAPERS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "papers"


def pypdf_only(name: str, data: bytes) -> int:
    """The baseline: every page's text by pypdf, cleaned the same way; returns the page count."""
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        clean_page_text(page.extract_text() or "")
    return len(reader.pages)


def best_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(repeat: int) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for path in sorted(PAPERS.glob("*.pdf")):
        data = path.read_bytes()
        _, meta = read_pdf(path.name, data)
        pages = meta.pages or 0
        redline_s = best_seconds(partial(read_pdf, path.name, data), repeat)
        baseline_s = best_seconds(partial(pypdf_only, path.name, data), repeat)
        rows.append(
            {
                "file": path.name,
                "pages": pages,
                "method": meta.method,
                "redline_pages_per_s": round(pages / redline_s, 1),
                "pypdf_pages_per_s": round(pages / baseline_s, 1),
            }
        )
    pages = sum(r["pages"] for r in rows)
    return {
        "papers": rows,
        "redline_pages_per_s": round(pages / sum(r["pages"] / r["redline_pages_per_s"] for r in rows), 1),
        "pypdf_pages_per_s": round(pages / sum(r["pages"] / r["pypdf_pages_per_s"] for r in rows), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not PAPERS.exists():
        raise SystemExit("bench.ingest_pdf needs ../shared/corpus/papers")
    print(json.dumps(measure(args.repeat), indent=1))


if __name__ == "__main__":
    main()
