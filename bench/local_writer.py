"""The embedded local model against the offline extractive writer, in the same run, on corpus tasks.

    python -m bench.local_writer [--task paper|reference|lecture|all] [--writers offline,local] [--keep DIR]

Tasks (from ../shared/corpus): ``paper`` is the Attention paper with request 005 (Chinese);
``reference`` adds task 005's 60 web pages (the reference size, as ``bench.chain --task reference``);
``lecture`` adds to that a generated lecture video: slides showing the first ten minutes of a real
lecture on attention, with its Chinese subtitles embedded.
Each writer runs the task through ``redline run`` (embedded NATS; ``offline`` with
``REDLINE_LOCAL_MODEL=off``). Reported per run: share of body sentences in the request's language,
run-on joins (a sentence end followed directly by a letter), per section the share of citations
that point at the paper — or, for a video section, at the video —, errors left after
the loop (each with its check and message) and the stop reason, wall time (model assembly and start-up apart), peak memory of the
largest child process (the model server) and of this process, input and output tokens, and a sample
of sentences.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import tempfile
import time
from pathlib import Path

from bench.chain import CORPUS, reference_task
from redline.run import run_folder
from services.draft.writer import hinted_kinds, is_document, language
from services.ingest.pdf import read_pdf
from services.ingest.subtitles import read_subtitles
from services.ingest.video import read_video
from services.ingest.webpages import read_webpages
from shared.citations import find_citations, resolve, strip_citations
from shared.requirements import parse_request
from shared.sentences import split_sentences
from shared.units import Unit
from tests.services.ingest.media import Caption, Slide, cjk_font_path, slideshow

RUN_ON = re.compile(r"[a-z\)][.!?](?=[A-Z\u4e00-\u9fff])")


def paper_task() -> tuple[dict[str, bytes], str]:
    """The Attention paper alone, with request 005."""
    files, query = reference_task()
    return {name: data for name, data in files.items() if name.endswith(".pdf")}, query


LECTURE_MINUTES = 10
SLIDE_SECONDS = 30


def lecture_task() -> tuple[dict[str, bytes], str]:
    """The reference task with ``lecture.mp4``: one slide per ``SLIDE_SECONDS`` of the lecture's first
    ``LECTURE_MINUTES`` minutes, showing the first subtitle said on it, and every subtitle of those
    minutes as the video's embedded subtitle stream."""
    files, query = reference_task()
    srt = (CORPUS / "transcripts" / "3b1b_2024_attention_zh.srt").read_bytes()
    cues = [cue for cue in read_subtitles("lecture.srt", srt) if cue.end <= LECTURE_MINUTES * 60]
    slides = []
    for start in range(0, LECTURE_MINUTES * 60, SLIDE_SECONDS):
        said = [cue.text for cue in cues if start <= cue.start < start + SLIDE_SECONDS]
        slides.append(Slide((said[0][:24], said[0][24:48]) if said else ("……",), SLIDE_SECONDS))
    captions = [Caption(cue.start, cue.end, cue.text) for cue in cues]
    files["lecture.mp4"] = slideshow(slides, captions, size=(1280, 720), fps=1, font_path=cjk_font_path())
    return files, query


TASKS = {"paper": paper_task, "reference": reference_task, "lecture": lecture_task}


def section_bodies(text: str) -> dict[str, list[str]]:
    """Heading → body sentences of a Markdown report."""
    bodies: dict[str, list[str]] = {}
    current = ""
    for line in text.split("\n"):
        if line.startswith("## "):
            current = line[3:].strip()
            bodies[current] = []
        elif line.strip() and current and not line.startswith(("#", "《")):
            bodies[current] += split_sentences(line)
    return bodies


def source_share(name: str, sentences: list[str], units: list[Unit]) -> float | None:
    """Share of a section's citations that point at its source: the video for a video section, else a
    main document (the paper; not a web page, not the video)."""
    kinds = hinted_kinds(name)
    pointed = [u for s in sentences for g in find_citations(s) for c in g.citations for u in resolve(c, units)[:1]]
    if not pointed:
        return None
    right = [u for u in pointed if (u.kind in kinds if kinds else is_document(u))]
    return round(len(right) / len(pointed), 2)


def measure(text: str, lang: str, units: list[Unit]) -> dict:
    bodies = section_bodies(text)
    sentences = [s for body in bodies.values() for s in body]
    in_lang = [s for s in sentences if language(strip_citations(s)) == lang]
    return {
        "sentences": len(sentences),
        "in_request_language": round(len(in_lang) / len(sentences), 2) if sentences else 0.0,
        "run_on_joins": len(RUN_ON.findall(strip_citations(text))),
        "section_source_share": {name: source_share(name, body, units) for name, body in bodies.items()},
        "sample": [s for s in sentences if s in in_lang][:4] + [s for s in sentences if s not in in_lang][:2],
    }


async def run_writer(writer: str, files: dict[str, bytes], query: str, work: Path) -> dict:
    folder = work / f"task-{writer}"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    if writer == "offline":
        os.environ["REDLINE_LOCAL_MODEL"] = "off"
    else:
        os.environ.pop("REDLINE_LOCAL_MODEL", None)
    lines: list[str] = []
    started = time.monotonic()
    result = await run_folder(folder, query, work / f"out-{writer}", echo=lines.append, timeout=3600)
    wall = time.monotonic() - started
    out = work / f"out-{writer}"
    if result.failure:
        return {"writer": writer, "failure": result.failure, "lines": lines}
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    units = read_units(folder)
    usage = [r["usage"] for r in findings["rounds"]]
    lang = parse_request(query).language
    return {
        "writer": writer,
        "wall_s": round(wall, 1),
        "model_setup_s": result.model_setup,
        "errors_left": findings["errors_remaining"],
        "stop_reason": findings["stop_reason"],
        "remaining": [f"{f['check']}: {f['message'][:120]}" for f in findings["remaining"] if f["severity"] == "error"],
        "rounds": len(findings["rounds"]),
        "input_tokens": sum(u["input_tokens"] for u in usage),
        "output_tokens": sum(u["output_tokens"] for u in usage),
        "calls": sum(u["calls"] for u in usage),
        "first_draft": measure((out / "original.md").read_text(encoding="utf-8"), lang, units),
        "final": measure((out / "final.md").read_text(encoding="utf-8"), lang, units),
        "lines": [line for line in lines if line.startswith(("model", "draft", "validate"))],
    }


def read_units(folder: Path) -> list[Unit]:
    """The task's units, read again from its sources (the run's object store is gone with its NATS)."""
    units: list[Unit] = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".pdf":
            units += read_pdf(path.name, path.read_bytes())[0]
        elif path.suffix == ".json":
            units += read_webpages(path.name, path.read_bytes())[0]
        elif path.suffix == ".mp4":
            units += read_video(path.name, path.read_bytes(), language="zh")[0]
    return units


def peak_memory() -> dict:
    return {
        "largest_child_gb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6, 2),
        "this_process_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2),
    }


async def main_async(tasks: list[str], writers: list[str], keep: Path | None = None) -> dict:
    """Each task through each writer; the runs' folders (reports, comparison, findings) are kept
    under ``keep`` when given, else removed at the end."""
    if not CORPUS.exists():
        print(json.dumps({"skipped": "this benchmark needs ../shared/corpus"}))
        return {}
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-local-") as tmp:
        root = keep or Path(tmp)
        for task in tasks:
            files, query = TASKS[task]()
            report[task] = []
            for writer in writers:
                row = await run_writer(writer, files, query, root / task)
                row["peak_memory"] = peak_memory()
                report[task].append(row)
                print(json.dumps({task: row}, ensure_ascii=False), flush=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--task", choices=[*TASKS, "all"], default="all")
    parser.add_argument("--writers", default="offline,local")
    parser.add_argument("--keep", type=Path, help="keep each run's folder (reports, comparison, findings) here")
    args = parser.parse_args()
    tasks = list(TASKS) if args.task == "all" else [args.task]
    asyncio.run(main_async(tasks, args.writers.split(","), args.keep))


if __name__ == "__main__":
    main()
