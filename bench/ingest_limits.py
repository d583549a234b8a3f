"""Ingest under hostile sizes, before and after, in one run: a long single-line text (16, 32 and
64 MB), a 1 MB zip holding two 500 MB members, and a PDF of 3,000 blank pages.

Each input is read by ``ingest_files`` in a child process, once with the current code and once
with the code of ``--baseline`` (a commit, exported with ``git archive`` into a temporary folder),
each stopped after ``--cap`` seconds. Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench.hostile import blank_pdf, zip_bomb

BASELINE = "2e80267"
"""The last commit before ingest was made linear and bounded."""
ROOT = Path(__file__).resolve().parent.parent
READ = """
import sys, time
from services.ingest.sources import ingest_files
name, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
started = time.perf_counter()
try:
    pack = ingest_files({name: data}, "bench", cache=None)
    outcome = f"{len(pack.units)} units" + "".join(f"; {m.error}" for m in pack.sources if m.error)
except Exception as exc:
    outcome = str(exc)
print(f"{time.perf_counter() - started:.2f}\\t{outcome[:150]}")
"""


def export(commit: str, into: Path) -> Path:
    """The ``services`` and ``shared`` packages of ``commit``, unpacked under ``into``."""
    archive = into / "baseline.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", commit, "services", "shared"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "code", filter="data")
    return into / "code"


def timed_read(code: Path, name: str, path: Path, cap: float) -> str:
    """'seconds (outcome)' for reading ``path`` as ``name`` with the packages under ``code``."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", READ, name, str(path)], cwd=code, capture_output=True, text=True,
                              timeout=cap, env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        return f"> {cap:.0f} s (stopped after {time.perf_counter() - started:.0f} s)"
    if done.returncode:
        return f"crashed: {done.stderr.strip().splitlines()[-1][:120]}"
    seconds, outcome = done.stdout.strip().split("\t", 1)
    return f"{float(seconds):.1f} s ({outcome})"


def inputs(folder: Path) -> list[tuple[str, str, Path]]:
    """(label, file name, path) of every input, written under ``folder``."""
    made = []
    for megabytes in (16, 32, 64):
        path = folder / f"line{megabytes}.txt"
        path.write_bytes(b"word " * (megabytes * 1024 * 1024 // 5))
        made.append((f"{megabytes} MB text on one line", "line.txt", path))
    path = folder / "bomb.zip"
    path.write_bytes(zip_bomb(2, 500))
    made.append((f"{path.stat().st_size / 1024 / 1024:.1f} MB zip of two 500 MB members", "bomb.zip", path))
    path = folder / "blank.pdf"
    path.write_bytes(blank_pdf(3000))
    made.append((f"{path.stat().st_size // 1024} KB PDF of 3,000 blank pages", "blank.pdf", path))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds after which a read is stopped")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        baseline = export(args.baseline, folder)
        print(f"| input | before ({args.baseline}) | after |")
        print("|---|---|---|")
        for label, name, path in inputs(folder):
            before = timed_read(baseline, name, path, args.cap)
            after = timed_read(ROOT, name, path, args.cap)
            print(f"| {label} | {before} | {after} |", flush=True)


if __name__ == "__main__":
    main()
