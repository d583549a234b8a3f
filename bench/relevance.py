"""``claim.off_topic`` by words and meaning, beside the words-only check of before, on three sets.

    python -m bench.relevance [--corpus PATH]

1. claims: the labelled claim set (``bench.claimset``) read as a report would quote a retrieved
   page: each supported or off-topic claim is one paragraph citing a web page that holds it, in a
   task whose main source is the claim's paper, under a generic request for a reading report.
   False alarms on supported claims and recall on off-topic ones, per part (``claimset.PARTS``).
2. reference: the reference system's reports for task 005 (their paper and video are not in the
   corpus: the topic is the request and the paragraphs citing them). To each report, one at a time,
   a paragraph quoted from a retrieved page (its first 300 characters, cited): ``OFF_TOPIC_PAGES``
   (``bench.real_reports``) and, as on-topic quotes, the pages in ``ON_TOPIC_PAGES`` (read by a
   person: large-model technology the request asks about). Also the alarms on the reports as they are.
3. example: the offline writer's draft of the bundled example task (``redline.example``).

The baseline is the same check with the meaning gate open (``RELATED`` above any cosine), which is
the words-only check of before.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench import claimset
from bench.real_reports import OFF_TOPIC_PAGES, report_text, task_005
from redline.example import write_example
from redline.folder import collect_files, find_query
from services.draft.writer import draft_report
from services.ingest.pdf import read_pdf
from services.ingest.sources import ingest_files
from services.validate import relevance
from services.validate.relevance import check_off_topic
from shared.citations import unit_citation
from shared.requirements import Requirements, parse_request
from shared.units import EvidencePack, Unit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REQUEST = "请根据我提供的论文，撰写一篇论文阅读报告，概括研究目标、方法与结论，并标注来源。"
ON_TOPIC_PAGES = (
    "大模型幻觉", "什么是大模型？", "大模型和大语言模型", "四个核心技术", "prompt的最佳实践", "自注意力与位置编码",
    "3D视觉Transformer", "一文读懂大模型与大语言模型", "大语言模型入门指南", "多头潜在注意力", "数据结构与算法选择",
    "多智能体LLM", "Dify+RAGFlow", "打造AI大型模型", "Transformer有可能替代CNN", "Multi-Head Self-Attention",
    "BERT模型论文解读", "大模型从入门到实践", "中国AI大模型", "Scaling Law", "Transformer适合做多模态",
    "FFN 前馈神经网络", "大模型推理优化", "基础模型和生成式AI", "LLM+RAG+GPT-4o", "如何理解人类的问题",
    "10个高效大语言模型提示词", "预训练语言模型", "T5模型", "AI大模型对比", "Transformer模型PyTorch实现", "激活函数",
)
"""Title phrases of task 005's retrieved pages about large-model technology (read by a person)."""
SPACES = re.compile(r"\s+")
GATE_OPEN = 2.0  # above any cosine: the words-only check


def flagged(text: str, requirements: Requirements, pack: EvidencePack, query: str, gate: float) -> int:
    """How many ``claim.off_topic`` findings ``text`` draws with ``RELATED`` set to ``gate``."""
    kept, relevance.RELATED = relevance.RELATED, gate
    try:
        return len(check_off_topic(text, requirements, pack, query))
    finally:
        relevance.RELATED = kept


def both(count) -> dict:
    """``count(gate)`` for the current check and the words-only baseline."""
    return {"current": count(relevance.RELATED), "baseline": count(GATE_OPEN)}


def claims(corpus: Path) -> dict | None:
    folder = corpus / "papers"
    if not all((folder / name).exists() for name in claimset.PAPERS.values()):
        return None
    papers = {name: read_pdf(name, (folder / name).read_bytes())[0] for name in claimset.PAPERS.values()}
    requirements = parse_request(REQUEST)
    rows: dict[tuple[str, str], Counter] = {}
    for claim in claimset.load({name: len(units) for name, units in papers.items()}):
        if claim.label not in ("supported", "off_topic"):
            continue
        page = Unit(source="web.json", kind="chunk", index=1, text=claim.text, method="bench", title="web")
        pack = EvidencePack(task_id="claims", units=[*papers[claim.paper], page])
        text = f"《论文阅读报告》\n\n{claim.text}{unit_citation(page)}\n"
        row = rows.setdefault((claim.part, claim.label), Counter())
        row.update({"claims": 1, **{k: int(v > 0) for k, v in both(lambda g, text=text, pack=pack: flagged(text, requirements, pack, REQUEST, g)).items()}})
    return {f"{part} {label}": {"claims": c["claims"], "flagged": round(c["current"] / c["claims"], 3),
                                "baseline_flagged": round(c["baseline"] / c["claims"], 3)}
            for (part, label), c in sorted(rows.items())}


def reference(corpus: Path) -> dict | None:
    found = task_005(corpus)
    if found is None:
        return None
    query, pack = found
    units = pack.units
    requirements = parse_request(query)
    reports = [report_text(path) for path in sorted((corpus / "mirothinker_mm" / "task005" / "model_runs").glob("*_final_report.md"))]

    def quotes(phrases: tuple[str, ...]) -> list[str]:
        return [SPACES.sub(" ", u.text[:300]) + unit_citation(u) for u in units if u.index > 0 and any(p in u.title for p in phrases)]

    result: dict[str, Any] = {"final_reports": len(reports)}
    for name, phrases in (("off_topic_quotes", OFF_TOPIC_PAGES), ("on_topic_quotes", ON_TOPIC_PAGES)):
        inserted = [f"{text}\n\n{quote}" for text in reports for quote in quotes(phrases)]
        result[name] = {"inserted": len(inserted)} | both(
            lambda g, inserted=inserted: sum(flagged(text, requirements, pack, query, g) - flagged(text.rsplit("\n\n", 1)[0], requirements, pack, query, g) > 0
                          for text in inserted))
    result["alarms_on_the_reports"] = both(lambda g: sum(flagged(text, requirements, pack, query, g) for text in reports))
    return result


def example() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_example(Path(scratch))
        query = find_query(folder)[0]
        pack = ingest_files(collect_files(folder), folder.name)
    requirements = parse_request(query)
    report = draft_report(requirements, query, pack)
    return {"paragraphs": report.count("\n\n") + 1} | both(lambda g: flagged(report, requirements, pack, query, g))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    results = {"related": relevance.RELATED, "example": example()}
    if args.corpus.exists():
        results |= {"claims": claims(args.corpus), "reference": reference(args.corpus)}
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
