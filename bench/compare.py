"""Time to build every compare output for a report pair of the reference size.

    python -m bench.compare [--runs 5]

The pair: two Chinese reports of about 4,000 characters whose sentences cite 60 web pages (8 chunks
each) and 50 video frames (half the citations name a frame; every frame carries a 320-pixel JPEG
thumbnail of a drawn slide, as ingest stores them); the final edits, removes, adds and re-cites
some sentences of the original, after three validation rounds whose findings name sentences. Reported: the median and
worst time of ``build_artifacts`` (comparison.txt, findings.json, comparison.json, comparison.md,
report.html, final.html) against the 1 s target, and the size of report.html against 2 MB.
The baseline, timed in the same run: the reference system's only output, comparison.txt.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import random
import re
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PIL import Image, ImageDraw

from services.compare.artifacts import build_artifacts
from services.compare.comparison import render_comparison
from shared.citations import unit_citation
from shared.events import ObjectRef, ReportAccepted, RoundRecord, TaskContext, Verdict
from shared.findings import Finding
from shared.units import EvidencePack, Unit

TARGET_SECONDS = 1.0
TARGET_BYTES = 2 * 1024 * 1024
PAGES, CHUNKS, FRAMES, REPORT_CHARS = 60, 8, 50, 4000
THUMBNAIL_SIZE = (320, 180)
WORDS = ["检索增强生成", "大语言模型", "引用质量", "证据", "核查", "片段", "文档", "系统", "评估", "指标", "精确率", "召回率", "生成器", "检索器", "向量", "相似度", "幻觉", "来源", "用户", "答案", "数据集", "实验", "结果", "方法", "流程", "模块", "版本", "页码", "视频", "帧", "幻灯片", "讲者"]
JOINS = ["的", "在", "与", "对", "把", "将", "可以", "需要", "提高", "降低", "说明", "表明", "包括", "通过"]


def phrase(rng: random.Random, words: int) -> str:
    """A Chinese clause of ``words`` words."""
    return "".join(rng.choice(WORDS) + (rng.choice(JOINS) if i < words - 1 else "") for i in range(words))


def slide_thumbnail(rng: random.Random) -> str:
    """A base64 JPEG of a drawn slide: a title bar, lines of "text" and a chart."""
    image = Image.new("RGB", THUMBNAIL_SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 320, 30), fill=(rng.randrange(256), 60, 120))
    for line in range(6):
        draw.rectangle((16, 44 + line * 18, 16 + rng.randint(80, 170), 52 + line * 18), fill=(40, 40, 40))
    for bar in range(5):
        height = rng.randint(20, 100)
        draw.rectangle((200 + bar * 22, 165 - height, 216 + bar * 22, 165), fill=(30, 100 + bar * 30, 200))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return base64.b64encode(out.getvalue()).decode("ascii")


def evidence(rng: random.Random) -> EvidencePack:
    """60 web pages of 8 chunks (about 600 characters each) and 50 frames of a talk, with thumbnails."""
    chunks = [
        Unit(
            source="long_context.json",
            kind="chunk",
            index=c,
            text="。".join(phrase(rng, 6) for _ in range(20)),
            method="reference-chunker",
            title=f"网页{p:02d}：{phrase(rng, 3)}",
        )
        for p in range(PAGES)
        for c in range(CHUNKS)
    ]
    frames = [
        Unit(
            source="talk.mp4",
            kind="frame",
            index=f,
            text=f"幻灯片：{phrase(rng, 4)}\n讲者：{phrase(rng, 12)}",
            method="frames",
            start=f * 6.0,
            end=f * 6.0 + 6.0,
            thumbnail=slide_thumbnail(rng),
        )
        for f in range(1, FRAMES + 1)
    ]
    return EvidencePack(task_id="bench", units=chunks + frames)


def cited_unit(rng: random.Random, units: list[Unit]) -> Unit:
    """A chunk or, half of the time, a frame."""
    kind = rng.choice(["chunk", "frame"])
    return rng.choice([u for u in units if u.kind == kind])


def sentences(rng: random.Random, units: list[Unit]) -> list[str]:
    """Cited sentences adding up to about ``REPORT_CHARS`` characters."""
    found, total = [], 0
    while total < REPORT_CHARS:
        sentence = phrase(rng, rng.randint(4, 7)) + unit_citation(cited_unit(rng, units)) + "。"
        found.append(sentence)
        total += len(sentence)
    return found


def report(parts: list[str]) -> str:
    """A report: a title, then paragraphs of five sentences under three headings."""
    paragraphs = ["".join(parts[i : i + 5]) for i in range(0, len(parts), 5)]
    third = len(paragraphs) // 3 + 1
    sections = [
        f"## （{n + 1}）{WORDS[n]}\n\n" + "\n\n".join(paragraphs[n * third : (n + 1) * third]) for n in range(3)
    ]
    return "《基准报告》\n\n" + "\n\n".join(sections)


def reference_pair() -> tuple[ReportAccepted, EvidencePack]:
    """The accepted event and evidence pack of a reference-size task."""
    rng = random.Random(6)
    pack = evidence(rng)
    original = sentences(rng, pack.units)
    final = list(original)
    for i in range(0, len(final), 7):
        final[i] = final[i].replace(final[i][:4], phrase(rng, 1), 1)  # edited
    for i in range(3, len(final), 11):
        final[i] = final[i].split("[", 1)[0] + unit_citation(cited_unit(rng, pack.units)) + "。"  # re-cited
    for i in range(5, len(final), 13):
        final[i] = ""  # removed
    for i in range(9, len(final), 17):
        final[i] += sentences(rng, pack.units)[0]  # added
    final = [s for s in final if s]
    findings = [
        Finding(check="citation.unresolved", severity="error", message="Does not resolve.", sentence=s)
        for s in original[::6]
    ]
    plan: list[tuple[int, list[Finding], Verdict]] = [
        (1, findings, "revise"),
        (2, findings[: len(findings) // 2], "revise"),
        (3, [], "pass"),
    ]
    rounds = [
        RoundRecord(report_version=v, chars=0, errors=len(f), warnings=0, findings=f, verdict=verdict)
        for v, f, verdict in plan
    ]
    data = ReportAccepted(
        task_id="bench",
        context=TaskContext(query="撰写一份基准报告", evidence=ObjectRef(key="bench/evidence.json", digest="", size=0)),
        report_version=3,
        text=report(final),
        original_text=report(original),
        stop_reason="passed: no error-level finding",
        findings=[],
        rounds=rounds,
        requirements={"language": "zh", "output_format": "html", "title": "基准报告"},
    )
    return data, pack


T = TypeVar("T")


def timed(build: Callable[[], T], runs: int) -> tuple[list[float], T]:
    """Seconds of ``runs`` calls of ``build()`` after a warm-up, and its last result."""
    times: list[float] = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        result = build()
        times.append(time.perf_counter() - start)
    return times[1:], result


def measure(runs: int) -> dict[str, Any]:
    data, pack = reference_pair()
    generated_at = datetime(2025, 1, 1)
    times, files = timed(lambda: build_artifacts(data, pack, generated_at), runs)
    baseline, _ = timed(
        lambda: render_comparison(data.task_id, data.context.query, data.original_text, data.text, generated_at), runs
    )
    comparison = json.loads(files["comparison.json"])
    html_bytes = len(files["report.html"].encode())
    return {
        "pair": {
            "original_chars": len(data.original_text),
            "final_chars": len(data.text),
            "web_pages": PAGES,
            "chunks": PAGES * CHUNKS,
            "frames": FRAMES,
            "frames_cited": len(set(re.findall(r"Frame (\d+)", data.original_text + data.text))),
            "sentences": {k: comparison["numbers"][k] for k in ("kept", "edited", "added", "removed", "recited")},
        },
        "runs": runs,
        "build_seconds_median": round(statistics.median(times), 4),
        "build_seconds_max": round(max(times), 4),
        "baseline_comparison_txt_ms_median": round(statistics.median(baseline) * 1000, 3),
        "target_seconds": TARGET_SECONDS,
        "report_html_bytes": html_bytes,
        "target_bytes": TARGET_BYTES,
        "outputs": sorted(files),
        "ok": max(times) <= TARGET_SECONDS and html_bytes <= TARGET_BYTES,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    print(json.dumps(measure(parser.parse_args().runs), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
