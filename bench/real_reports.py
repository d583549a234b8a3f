"""The validator on the reference system's real reports of task 005, beside today's validator.

    python -m bench.real_reports [--corpus DIR] [--baseline COMMIT]

Each report in ``mirothinker_mm/task005/model_runs`` (three models, initial and final; the report
text after the file's ``## Report`` heading) is checked against the task's 60 retrieved pages and
its request in ``query.jsonl`` (``--pages long_context_sampled_32k.json``: against the pages the
runs were given instead). The task folder's paper and video are not in the corpus, so every
citation of them is unresolved by design. Both validators also read a restyled copy of each report:
its web-page citations written in full-width brackets, every repeat of the citation just before it
as the shorthand ``【chunk N】``, and a title ending in a question mark as real models write them.

Per report and validator: findings, errors, and findings made of citation fragments (a finding
whose sentence, without its complete citation groups, is left with an unbalanced bracket or quote,
or with no words). Every error finding of the current validator is listed with its verdict from
``bench/data/real_report_verdicts.tsv`` (a person's judgement, right or wrong and why, written after
reading the finding, the report and the cited page; matched by check and a phrase of the finding);
an error no row matches is counted as unreviewed.

The baseline is the validator at ``--baseline`` (default: the commit before the report reader),
exported with ``git archive`` and run in a child process on the same inputs. ``--bad-input`` also
times every check on 100 KB and 1 MB of bad input (unclosed brackets, a line of periods, citations
only, …), current and baseline, each stopped after two minutes.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

from services.ingest.webpages import read_webpages
from services.validate.checks import run_checks
from services.validate.relevance import check_off_topic
from shared.citations import strip_citations, unit_citation
from shared.requirements import parse_request
from shared.units import EvidencePack

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
VERDICTS = Path(__file__).parent / "data" / "real_report_verdicts.tsv"
BASELINE = "2e80267"
PAGES = "long_context_sampled_60.json"
QUESTION_TITLE = "Transformer有可能替代CNN吗？未来有哪些研究方向？听听大家都怎么说"
OFF_TOPIC_PAGES = ("TensorFlow", "师训", "历史作业", "商业模式", "智慧法治", "云南", "毕业论文", "Kotlin", "多媒体教学")
"""Title words of the retrieved pages of task 005 that are unrelated to its request (read by a person)."""
WEB_CITATION = re.compile(r'\[long_context: "([^"]*)", chunk ([^\]]*)\]')

BAD_INPUTS = {
    "prose with citations": "Transformer以自注意力为核心[文档: a.pdf, page 2]。The model is good 61%. ",
    "one line of periods": "x. y. z. ",
    "unclosed brackets": "[",
    "citations on one line": '文本[long_context: "T", chunk 1]',
    "citations only": "[文档: a.pdf, page 2]\n",
}
BAD_QUERY = "请根据我提供的论文撰写《测试报告》，包含以下部分：（1）论文基本信息；（2）核心内容摘要。字数在2000至3000字，注明来源。"
BAD_INPUT_SCRIPT = """
import json, sys, time
from services.validate.checks import run_checks
from shared.requirements import parse_request
from shared.units import EvidencePack, Unit
job = json.loads(sys.stdin.read())
pack = EvidencePack(task_id="t", units=[Unit(source="a.pdf", kind="page", index=i, text="Transformer以自注意力为核心。", method="t") for i in (1, 2, 3)])
started = time.perf_counter()
findings = run_checks((job["piece"] * (job["size"] // len(job["piece"]) + 1))[: job["size"]], parse_request(job["query"]), pack)
print(json.dumps({"seconds": time.perf_counter() - started, "findings": len(findings)}))
"""
BASELINE_SCRIPT = """
import json, sys
from pathlib import Path
from services.ingest.webpages import read_webpages
from services.validate.checks import run_checks
from shared.requirements import parse_request
from shared.units import EvidencePack
job = json.loads(sys.stdin.read())
units, meta = read_webpages(Path(job["pages"]).name, Path(job["pages"]).read_bytes())
pack = EvidencePack(task_id="005", units=units, sources=[meta])
requirements = parse_request(job["query"])
out = {name: [f.model_dump() for f in run_checks(text, requirements, pack)] for name, text in job["reports"].items()}
print(json.dumps(out, ensure_ascii=False))
"""


def report_text(path: Path) -> str:
    """The report of a model-run file: the text after its ``## Report`` heading, else all of it."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n## Report\n", 1)[1].strip() if "\n## Report\n" in text else text


def restyled(text: str) -> str:
    """``text`` with its web-page citations as real models also write them: full-width brackets,
    a repeat of the previous citation's page as ``【chunk N】``, and one page cited by a title that
    holds question marks."""
    previous = ""

    def rewrite(match: re.Match[str]) -> str:
        nonlocal previous
        title, chunks = match.group(1), match.group(2)
        if title == previous:
            return f"【chunk {chunks}】"
        previous = title
        if "Transformer" in title:
            title = QUESTION_TITLE
        return f'【long_context: "{title}", chunk {chunks}】'

    return WEB_CITATION.sub(rewrite, text)


def is_fragment(sentence: str) -> bool:
    """Whether a finding's sentence is made of citation fragments: without its complete citation
    groups it leaves an unbalanced bracket or quote, or no words at all."""
    if not sentence:
        return False
    plain = strip_citations(sentence)
    unbalanced = plain.count("[") != plain.count("]") or plain.count("【") != plain.count("】")
    return unbalanced or plain.count('"') % 2 == 1 or not re.search(r"\w", plain)


def exported(commit: str, folder: str) -> None:
    """The tree of ``commit`` written into ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


def run_in(folder: str, script: str, job: dict, timeout: float | None = None) -> dict:
    """The JSON a script prints when run on ``job`` in a child process with ``folder`` as its code."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(job, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env={"PYTHONPATH": folder, "PATH": "/usr/bin:/bin"},
        timeout=timeout,
    )
    return json.loads(done.stdout)


def run_baseline(commit: str, pages: Path, query: str, reports: dict[str, str]) -> dict[str, list[dict]] | None:
    """Findings of the validator at ``commit`` for every report (a child process on an exported
    tree); None when the commit cannot be exported (no git history)."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            exported(commit, folder)
        except (OSError, subprocess.CalledProcessError):
            return None
        return run_in(folder, BASELINE_SCRIPT, {"pages": str(pages), "query": query, "reports": reports})


def bad_input(commit: str, sizes: tuple[int, ...] = (100_000, 1_000_000), limit: float = 120.0) -> dict:
    """Seconds of every check on each bad input at each size, current and baseline (each in a child
    process; a run over ``limit`` seconds is stopped and reported as such)."""
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        exported(commit, folder)
        for name, piece in BAD_INPUTS.items():
            for size in sizes:
                row = {}
                for label, code in (("current", str(ROOT)), ("baseline", folder)):
                    job = {"piece": piece, "size": size, "query": BAD_QUERY}
                    try:
                        row[label] = round(run_in(code, BAD_INPUT_SCRIPT, job, limit)["seconds"], 2)
                    except subprocess.TimeoutExpired:
                        row[label] = f"> {limit:.0f}"
                results[f"{name}, {size // 1000} KB"] = row
    return results


def read_verdicts() -> list[dict[str, str]]:
    """The verdict rows, in order: check, pattern (a substring of the finding's message or sentence;
    ``*`` for any), verdict, reason."""
    with VERDICTS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def verdict_of(finding: dict, verdicts: list[dict[str, str]]) -> tuple[str, str]:
    """The first verdict whose check and pattern match the finding, else ('unreviewed', '')."""
    text = f"{finding['message']} {finding['sentence']}"
    for row in verdicts:
        if row["check"] == finding["check"] and (row["pattern"] == "*" or row["pattern"] in text):
            return row["verdict"], row["reason"]
    return "unreviewed", ""


def summary(findings: list[dict]) -> dict:
    return {
        "findings": len(findings),
        "errors": sum(1 for f in findings if f["severity"] == "error"),
        "fragments": sum(1 for f in findings if is_fragment(f["sentence"])),
        "by_check": dict(Counter(f["check"] for f in findings if f["severity"] == "error")),
    }


def task_005(corpus: Path, pages: str = PAGES) -> tuple[str, EvidencePack] | None:
    """Task 005's request and a pack of its retrieved ``pages``, or None without its reports."""
    task = corpus / "mirothinker_mm" / "task005"
    if not (task / "model_runs").exists():
        return None
    lines = (corpus / "mirothinker_mm" / "query.jsonl").read_text(encoding="utf-8").splitlines()
    query = next(json.loads(line)["query"] for line in lines if line.strip() and json.loads(line)["task"] == "005")
    units, meta = read_webpages(pages, (task / pages).read_bytes())
    return query, EvidencePack(task_id="005", units=units, sources=[meta])


def model_runs(corpus: Path) -> list[Path]:
    """Task 005's report files, one per model and stage, in name order."""
    return sorted((corpus / "mirothinker_mm" / "task005" / "model_runs").glob("*.md"))


def measure(corpus: Path, baseline: str, pages: str = PAGES) -> dict | None:
    found = task_005(corpus, pages)
    if found is None:
        return None
    query, pack = found
    task = corpus / "mirothinker_mm" / "task005"
    requirements = parse_request(query)
    reports = {}
    for path in model_runs(corpus):
        text = report_text(path)
        reports[path.stem] = text
        reports[f"{path.stem} (restyled)"] = restyled(text)
    started = time.perf_counter()
    current = {name: [f.model_dump() for f in run_checks(text, requirements, pack, query)] for name, text in reports.items()}
    seconds = time.perf_counter() - started
    before = run_baseline(baseline, task / pages, query, reports)
    verdicts = read_verdicts()
    listed = []
    for name, findings in current.items():
        for f in findings:
            if f["severity"] == "error" and "(restyled)" not in name:
                verdict, reason = verdict_of(f, verdicts)
                listed.append({"report": name, "check": f["check"], "index": f["sentence_index"],
                               "sentence": f["sentence"][:120], "message": f["message"][:160],
                               "verdict": verdict, "reason": reason})
    return {
        "off_topic": off_topic(reports, pack, query),
        "baseline": baseline,
        "pages": pages,
        "seconds_current_all_reports": round(seconds, 2),
        "reports": {
            name: {"baseline": summary(before[name]) if before else None, "current": summary(current[name])}
            for name in reports
        },
        "errors": listed,
        "verdicts": dict(Counter(row["verdict"] for row in listed)),
    }


def off_topic(reports: dict[str, str], pack: EvidencePack, query: str) -> dict:
    """``claim.off_topic`` on the reports as they are, and on each report with one paragraph quoted
    from an off-topic retrieved page (its first 300 characters, cited) appended."""
    requirements = parse_request(query)
    excerpts = [
        (re.sub(r"\s+", " ", u.text[:300]), unit_citation(u))
        for u in pack.units
        if u.index > 0 and any(word in u.title for word in OFF_TOPIC_PAGES)
    ]
    originals = {name: text for name, text in reports.items() if "(restyled)" not in name}
    alarms = sum(len(check_off_topic(text, requirements, pack, query)) for text in originals.values())
    caught = sum(
        any(f.evidence.startswith(excerpt[:50]) for f in check_off_topic(f"{text}\n\n{excerpt}{citation}", requirements, pack, query))
        for text in originals.values()
        for excerpt, citation in excerpts
    )
    return {"inserted": len(excerpts) * len(originals), "caught": caught, "alarms_on_originals": alarms}


def markdown(results: dict) -> str:
    out = ["| report | baseline findings / errors / fragments | current findings / errors / fragments |", "|---|---|---|"]
    for name, row in results["reports"].items():
        b, c = row["baseline"], row["current"]
        today = f"{b['findings']} / {b['errors']} / {b['fragments']}" if b else "not available"
        out.append(f"| {name} | {today} | {c['findings']} / {c['errors']} / {c['fragments']} |")
    o = results["off_topic"]
    out += ["", f"claim.off_topic: {o['caught']} of {o['inserted']} inserted off-topic paragraphs caught, "
            f"{o['alarms_on_originals']} on the original reports"]
    out += ["", "| verdict on the current errors (original reports) | count |", "|---|---|"]
    out += [f"| {verdict} | {count} |" for verdict, count in sorted(results["verdicts"].items())]
    by_check = Counter((row["check"], row["verdict"]) for row in results["errors"])
    out += ["", "| check | verdict | count |", "|---|---|---|"]
    out += [f"| {check} | {verdict} | {count} |" for (check, verdict), count in sorted(by_check.items())]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--baseline", default=BASELINE, help="commit of the validator to compare with")
    parser.add_argument("--pages", default=PAGES, help="the task's retrieved pages (long_context_sampled_32k.json: the file the runs used)")
    parser.add_argument("--errors", action="store_true", help="also print every error finding with its verdict")
    parser.add_argument("--bad-input", action="store_true", help="also time every check on 100 KB and 1 MB of bad input")
    args = parser.parse_args(argv)
    results = measure(args.corpus, args.baseline, args.pages) if args.corpus.exists() else None
    if results is None:
        print(json.dumps({"skipped": "the shared corpus is not available"}))
        return 0
    if args.errors:
        for row in results["errors"]:
            print("\t".join(str(row[k]) for k in ("report", "check", "index", "verdict", "sentence", "message", "reason")))
        print()
    print(markdown(results))
    if args.bad_input:
        print("\n| bad input | current s | baseline s |\n|---|---|---|")
        for name, row in bad_input(args.baseline).items():
            print(f"| {name} | {row['current']} | {row['baseline']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
