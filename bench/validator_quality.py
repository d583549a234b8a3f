"""Validator quality: support-check accuracy, the labelled claim set, injected-error detection, the
reference system's reports, and speed.

    python -m bench.validator_quality [--corpus PATH] [--part attribution|claims|injected|reference|speed]
        [--local-judge] [--judge-replies FILE] [--judge-minutes N]

Needs the shared corpus (``../shared/corpus`` beside the repository); parts whose files are absent
are skipped. Prints one JSON object, then a markdown table per part.

1. attribution: balanced accuracy of the offline support check (anchors + content coverage) on
   AttributionBench (claim vs its references). Its thresholds were calibrated on this same set, so
   a 2-fold figure (thresholds chosen on one half, measured on the other) is given too. With
   ``REDLINE_JUDGE_MODEL`` set (and its endpoint), also with the model judge deciding every pair
   the offline check doubts, as the validator does.
Today's validator is the baseline: the support check of commit ``BASELINE`` (lexical anchors and
token coverage only), loaded from git at run time and measured in the same run.

2. claims: the labelled claim set (``bench.claimset``): per kind, the share flagged (recall for the
   wrong kinds, false-alarm rate for supported claims), for each part (tuning, the first held-out
   part now released into tuning, the second held-out part); with a
   judge model (``--local-judge`` serves the shipped one; ``--judge-replies FILE`` keeps its verdicts
   between runs; ``--judge-minutes`` bounds the asking), also with the judge deciding the doubts.
3. injected: reports built from real PDF pages (English sentences verbatim, plus Chinese
   paraphrases) with one error injected each; recall and precision per error type.
4. reference: what the checks find in the reference system's reports for task 005; citations of its
   PDF and video (not available) are counted as unresolvable sources, apart from the rest.
5. speed: all offline checks on a ~3000-字 report against 40 pages, 60 web pages and 50 frames, on a
   pack with and without the sentence embeddings ingest computes, beside the checks of
   ``SPEED_BASELINE`` in a fresh process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import types
from collections import Counter
from pathlib import Path
from typing import Any

from bench import claimset
from bench.local_judge import Replies, local_judge
from bench.real_reports import model_runs, task_005
from services.draft.writer import draft_report
from services.ingest.pdf import read_pdf
from services.ingest.webpages import read_webpages
from services.validate.anchors import find_anchors, prepare
from services.validate.checks import run_checks
from services.validate.judge import Judge
from services.validate.language import language_shares
from services.validate.support import is_low, judge_claim, judge_units, score_support
from shared import retrieval
from shared.citations import Citation, find_citations, format_citation, resolve, strip_citations, unit_citation
from shared.evidence_sentences import evidence_sentences, with_vectors
from shared.findings import Finding
from shared.report import read_report
from shared.requirements import LengthRange, Requirements, Section, parse_request
from shared.sentences import split_sentences
from shared.units import EvidencePack, SourceMeta, Unit
from shared.wordcount import count_zi

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BASELINE = "2e80267"
"""The commit whose support check is the baseline (the validator before meaning comparison)."""
ATTRIBUTION = "attribution/AttributionBench_test_all_subset_balanced_sampled500.jsonl"
SECTIONS = ["论文概述", "方法", "实验结果"]
PARAPHRASES = {
    "Attention": [
        "Transformer在WMT 2014英德翻译任务上取得了28.4的BLEU分数。",
        "在WMT 2014英法翻译任务上，Transformer大模型的单模型BLEU分数达到41.8。",
        "Transformer大模型在8块P100 GPU上训练了3.5天。",
    ],
    "ALCE": [
        "ALCE是首个用于自动评估大语言模型引用生成能力的基准。",
        "ALCE包含ASQA、QAMPARI和ELI5三个数据集。",
    ],
}
FABRICATED = "该方法在ImageNet上取得了97.3%的Top-1准确率，并由Geoffrey Hinton团队复现。"
STRANGERS = ["Hinton", "Bengio", "Sutskever", "LeCun", "Schmidhuber"]
PLACEHOLDER = "[Please provide the full, content-complete revised report here.]"
SENTENCE_TYPES = {
    "resolution": "citation.unresolved",
    "wrong_page": "citation.unsupported",
    "altered_number": "citation.unsupported",
    "swapped_name": "citation.unsupported",
    "fabricated": "citation.unsupported",
}
DOCUMENT_TYPES = {
    "dropped_section": "structure.section_missing",
    "truncated": "structure.truncated",
    "placeholder": "structure.placeholder",
    "too_short": "length.too_short",
    "too_long": "length.too_long",
}
PER_PAPER = 3  # sentence-level injections of each type per paper


# 1. attribution -------------------------------------------------------------------------------


def balanced_accuracy(predicted: list[bool], truth: list[bool]) -> float:
    positives = sum(truth) or 1
    negatives = (len(truth) - sum(truth)) or 1
    hits = sum(p and t for p, t in zip(predicted, truth, strict=False)) / positives
    rejections = sum(not p and not t for p, t in zip(predicted, truth, strict=False)) / negatives
    return (hits + rejections) / 2


def predict(signals: list[tuple[float, float, bool]], weight: float, threshold: float) -> list[bool]:
    """Supported when the combined score reaches ``threshold`` and no anchor is missing."""
    return [weight * cov + (1 - weight) * share >= threshold and not missing for cov, share, missing in signals]


def calibrate(signals: list[tuple[float, float, bool]], truth: list[bool]) -> tuple[float, float]:
    grid = [(w / 10, t / 100) for w in range(11) for t in range(20, 100, 2)]
    return max(grid, key=lambda wt: (balanced_accuracy(predict(signals, *wt), truth), -abs(wt[0] - 0.7)))


def baseline_module() -> types.ModuleType | None:
    """The support check of commit ``BASELINE``, loaded from git (None outside a git checkout)."""
    shown = subprocess.run(
        ["git", "show", f"{BASELINE}:services/validate/support.py"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode != 0:
        return None
    module = types.ModuleType("baseline_support")
    sys.modules[module.__name__] = module
    sys.modules.setdefault("services.draft.retrieval", retrieval)  # where its BM25 lived then
    exec(compile(shown.stdout, f"{BASELINE}:services/validate/support.py", "exec"), module.__dict__)
    return module


def halves(count: int) -> list[list[int]]:
    order = list(range(count))
    random.Random(0).shuffle(order)
    return [order[: count // 2], order[count // 2 :]]


def two_fold(signals: list, truth: list[bool], calibrate_on, predict_with) -> list[float]:
    """Balanced accuracy on each half with the parameters calibrated on the other half."""
    folds = []
    for train, test in (halves(len(truth)), halves(len(truth))[::-1]):
        params = calibrate_on([signals[i] for i in train], [truth[i] for i in train])
        folds.append(balanced_accuracy(predict_with([signals[i] for i in test], *params), [truth[i] for i in test]))
    return folds


def predict_meaning(signals: list[tuple[bool, float, float, bool]], aligned: float, covered: float) -> list[bool]:
    """Supported when nothing is proven wrong and the alignment or (same language) the coverage score is high enough."""
    return [not proven and (align >= aligned or (not cross and lex >= covered)) for proven, align, lex, cross in signals]


def calibrate_meaning(signals: list, truth: list[bool]) -> tuple[float, float]:
    grid = [(a / 100, t / 100) for a in range(20, 96, 3) for t in range(20, 102, 4)]
    return max(grid, key=lambda at: balanced_accuracy(predict_meaning(signals, *at), truth))


def attribution(corpus: Path) -> dict | None:
    path = corpus / ATTRIBUTION
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    truth = [row["attribution_label"] == "attributable" for row in rows]
    result: dict[str, Any] = {"examples": len(rows)}
    old = baseline_module()
    if old is not None:
        supports = [old.score_support(row["claim"], "\n".join(row["references"])) for row in rows]
        signals = [(s.coverage, s.anchors, bool(s.missing)) for s in supports]
        folds = two_fold(signals, truth, calibrate, predict)
        result["baseline"] = {
            "signals": f"commit {BASELINE}: lexical anchors + content-token coverage",
            "balanced_accuracy_as_shipped": round(balanced_accuracy([not old.is_low(s) for s in supports], truth), 3),
            "balanced_accuracy_2fold": round(sum(folds) / 2, 3),
            "folds": [round(f, 3) for f in folds],
        }
    started = time.perf_counter()
    verdicts = [judge_claim(row["claim"], row["references"]) for row in rows]
    seconds = time.perf_counter() - started
    meaning_signals = [
        (bool(v.mismatches), v.aligned[0].score if v.aligned else 0.0, v.support.score, v.support.crosslingual)
        for v in verdicts
    ]
    folds = two_fold(meaning_signals, truth, calibrate_meaning, predict_meaning)
    result["meaning"] = {
        "signals": "alignment (embeddings + anchors), meaning comparison, coverage",
        "balanced_accuracy_as_shipped": round(balanced_accuracy([v.supported for v in verdicts], truth), 3),
        "balanced_accuracy_2fold": round(sum(folds) / 2, 3),
        "folds": [round(f, 3) for f in folds],
        "proven_mismatches_on_attributable": sum(s[0] for s, t in zip(meaning_signals, truth, strict=True) if t),
        "seconds": round(seconds, 1),
    }
    result["with_judge"] = asyncio.run(judged(rows, verdicts, truth))
    return result


async def judged(rows: list[dict], verdicts: list, truth: list[bool]) -> dict | None:
    """Balanced accuracy when the configured judge decides each pair the offline check doubts (a
    proven mismatch stays unsupported, as in the validator; a reply without a verdict leaves the
    offline one); None without a judge model."""
    judge = Judge.configured()
    if judge is None:
        return None
    predicted = [v.supported for v in verdicts]
    doubts = [i for i, v in enumerate(verdicts) if v.doubt and not v.mismatches]
    undecided = 0
    started = time.perf_counter()
    for start in range(0, len(doubts), judge.batch):
        batch = doubts[start : start + judge.batch]
        answers = await judge.verdicts([(rows[i]["claim"], [a.sentence for a in verdicts[i].aligned[:3]]) for i in batch])
        for i, answer in zip(batch, answers, strict=False):
            undecided += answer is None
            predicted[i] = bool(answer)
    return {
        "model": judge.model,
        "judged_pairs": len(doubts),
        "replies_without_verdict": undecided,
        "seconds_per_pair": round((time.perf_counter() - started) / max(1, len(doubts)), 2),
        "balanced_accuracy": round(balanced_accuracy(predicted, truth), 3),
    }


# 2. the labelled claim set --------------------------------------------------------------------


def claims(corpus: Path, replies: Path | None = None, budget: float | None = None) -> dict | None:
    """Per part and kind: claims, and the share the new check and the baseline flag; with a judge
    model configured, also the share flagged when the judge decides the doubts (as the validator
    lets it: a proven mismatch stands), and when it is asked about every claim. ``replies``: a file
    keeping the judge's verdicts between runs (``bench.local_judge.Replies``); ``budget``: seconds the
    judge may be asked for, the claims left unasked keeping their offline verdict."""
    folder = corpus / "papers"
    if not all((folder / name).exists() for name in claimset.PAPERS.values()):
        return None
    units = {name: read_pdf(name, (folder / name).read_bytes())[0] for name in claimset.PAPERS.values()}
    old = baseline_module()
    rows = []
    for claim in claimset.load({name: len(u) for name, u in units.items()}):
        bracket = format_citation(Citation(kind="page", source=claim.paper, first=claim.page), "zh")
        cited = [u for c in find_citations(bracket)[0].citations for u in resolve(c, units[claim.paper])]
        if cited:
            verdict = judge_units(claim.text, cited)
            baseline = is_low(old.score_support(claim.text, cited[0].text)) if old else None
        else:
            verdict, baseline = None, True  # citation.unresolved, for both
        rows.append((claim, verdict, baseline))
    judge = Judge.configured()
    asked = Replies(judge, replies, budget) if judge else None
    answers = asyncio.run(ask_judge(asked, rows)) if asked else [None] * len(rows)
    counts: dict[tuple[str, str], Counter] = {}
    misses: list[str] = []
    for (claim, verdict, baseline), answer in zip(rows, answers, strict=True):
        flagged = verdict is None or not verdict.supported
        proven = verdict is None or bool(verdict.mismatches)
        row = counts.setdefault((claim.part, claim.label), Counter())
        row.update(claims=1, flagged=int(flagged), baseline=int(bool(baseline)))
        if judge:
            row.update(
                judged_doubts=int(proven or (flagged and answer is not True)),
                judged_all=int(proven or answer is False or (flagged and answer is None)),
                judge_alone=int(answer is False),
                no_verdict=int(verdict is not None and answer is None),
            )
        if flagged != (claim.label != "supported") and claim.tunable:
            misses.append(f"{claim.id} {claim.label}: {claim.text[:60]}")
    table: dict[str, dict[str, Any]] = {}
    for (part, label), c in sorted(counts.items(), key=lambda kv: (claimset.PARTS.index(kv[0][0]), claimset.KINDS.index(kv[0][1]))):
        share = {k: round(c[k] / c["claims"], 3) for k in ("flagged", "baseline", "judged_doubts", "judged_all", "judge_alone")}
        table.setdefault(part, {})[label] = {
            "claims": c["claims"],
            "flagged": share["flagged"],
            "baseline_flagged": share["baseline"] if old else None,
        } | ({k: share[k] for k in ("judged_doubts", "judged_all", "judge_alone")} | {"no_verdict": c["no_verdict"]} if judge else {})
    judged = {"model": judge.model, "failed": asked.failed, "unasked": asked.unasked} if judge and asked else None
    return {"by_part": table, "tuning_misses": misses, "judge": judged}


async def ask_judge(replies: Replies, rows: list) -> list[bool | None]:
    """The judge's verdict on every resolved claim of ``rows``, given its three best-aligned evidence
    sentences; the doubts are asked about first (a run cut short has judged those)."""
    asked = {i: (claim.text, [a.sentence for a in verdict.aligned[:3]]) for i, (claim, verdict, _) in enumerate(rows) if verdict}
    order = sorted(asked, key=lambda i: not (rows[i][1].doubt and not rows[i][1].mismatches))
    answers = dict(zip(order, await replies.verdicts([asked[i] for i in order]), strict=True))
    return [answers.get(i) for i in range(len(rows))]


# 3. injected errors ---------------------------------------------------------------------------


class Paper:
    """One real PDF with the clean report built from it."""

    def __init__(self, name: str, units: list[Unit], meta: SourceMeta) -> None:
        self.name, self.units = name, units
        self.pack = EvidencePack(task_id=name, units=units, sources=[meta])
        self.sentences = self.pick_sentences()
        body = [sentence for sentence, _ in self.sentences]
        zh = language_shares("".join(body))
        language = "zh" if zh[0] >= zh[1] else "en"
        self.requirements = Requirements(
            title=f"{meta.title[:20]}阅读报告",
            sections=[Section(marker=f"（{i}）", name=n) for i, n in enumerate(SECTIONS, 1)],
            language=language,
            cite_sources=True,
        )
        self.text = self.render(self.sentences)
        count = count_zi(self.text)
        self.requirements.length = LengthRange(minimum=int(count * 0.8), maximum=int(count * 1.3))

    def pick_sentences(self) -> list[tuple[str, Unit]]:
        """Up to nine verbatim page sentences with a checkable anchor (one a page), then the
        paraphrases written for this paper, each cited to the first page holding its anchors."""
        picked = []
        for unit in self.units[1:]:
            for sentence in split_sentences(unit.text.replace("\n", " ")):
                anchors = find_anchors(sentence)
                if 60 <= len(sentence) <= 260 and anchors and not find_citations(sentence) and "[" not in sentence:
                    picked.append((sentence, unit))
                    break
            if len(picked) == 9:
                break
        for key, sentences in PARAPHRASES.items():
            if key not in self.name:
                continue
            for sentence in sentences:
                home = self.home(sentence)
                if home:
                    picked.append((sentence, home))
        return picked

    def home(self, sentence: str) -> Unit | None:
        """The first page holding every anchor of ``sentence`` (None when it has none or no page does)."""
        if not find_anchors(sentence):
            return None
        return next((u for u in self.units if not score_support(sentence, u.text).missing), None)

    def render(self, sentences: list[tuple[str, Unit]], cut: int | None = None) -> str:
        lines = [f"《{self.requirements.title}》", ""]
        for number, name in enumerate(SECTIONS):
            lines += [f"（{number + 1}）{name}", ""]
            chosen = sentences[number :: len(SECTIONS)][:cut]
            lines += [f"{s} {unit_citation(u, 'zh')}" for s, u in chosen] + [""]
        return "\n".join(lines)


def load_papers(corpus: Path) -> list[Paper]:
    papers = []
    for path in sorted((corpus / "papers").glob("*.pdf")):
        units, meta = read_pdf(path.name, path.read_bytes())
        papers.append(Paper(path.name, units, meta))
    return papers


def sentence_injections(paper: Paper) -> list[tuple[str, str, str]]:
    """(error type, injected report, the sentence injected) for every sentence-level error."""
    cases = []
    pages = paper.units
    for sentence, unit in paper.sentences[:PER_PAPER]:
        bracket = unit_citation(unit, "zh")
        line = f"{sentence} {bracket}"
        outside = bracket.replace(f"page {unit.index}]", f"page {len(pages) + 5}]")
        cases.append(("resolution", paper.text.replace(line, f"{sentence} {outside}"), sentence))
        wrong = max(pages, key=lambda u: (1 - score_support(sentence, u.text).score, u.index))
        cases.append(("wrong_page", paper.text.replace(line, f"{sentence} {unit_citation(wrong, 'zh')}"), sentence))
    numbered = [(s, u) for s, u in paper.sentences if any(a.kind == "number" for a in find_anchors(s))]
    for sentence, unit in numbered[:PER_PAPER]:
        number = next(a for a in find_anchors(sentence) if a.kind == "number").text
        altered = number[:-1] + str((int(number[-1]) + 3) % 10)
        if altered in prepare(unit.text).numbers:
            continue
        changed = sentence.replace(number, altered, 1)
        cases.append(("altered_number", paper.text.replace(sentence, changed), changed))
    named = [(s, u) for s, u in paper.sentences if any(a.kind == "term" and a.text[0].isupper() for a in find_anchors(s))]
    for n, (sentence, _) in enumerate(named[:PER_PAPER]):
        name = next(a for a in find_anchors(sentence) if a.kind == "term" and a.text[0].isupper()).text
        stranger = STRANGERS[n % len(STRANGERS)]
        changed = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", stranger, sentence, count=1)
        cases.append(("swapped_name", paper.text.replace(sentence, changed), changed))
    second = paper.sentences[1]
    fabricated = f"{FABRICATED} {unit_citation(second[1], 'zh')}"
    cases.append(("fabricated", paper.text.replace(f"（2）{SECTIONS[1]}\n\n", f"（2）{SECTIONS[1]}\n\n{fabricated}\n"), FABRICATED))
    return cases


def document_injections(paper: Paper) -> list[tuple[str, str, str]]:
    """(error type, injected report, the section concerned) for every document-level error."""
    text = paper.text
    start, end = text.index(f"（2）{SECTIONS[1]}"), text.index(f"（3）{SECTIONS[2]}")
    last = text.rstrip().splitlines()[-1]
    return [
        ("dropped_section", text[:start] + text[end:], SECTIONS[1]),
        ("truncated", text.rstrip()[: len(text.rstrip()) - len(last) // 2 - 10].rstrip(" .。[") + "\n", ""),
        ("placeholder", PLACEHOLDER, ""),
        ("too_short", paper.render(paper.sentences, cut=1), ""),
        ("too_long", paper.render(paper.sentences * 2), ""),
    ]


def at(finding: Finding, sentence: str) -> bool:
    core = strip_citations(finding.sentence).strip()
    return bool(core) and (core in sentence or sentence.strip() in core)


def injected(corpus: Path) -> dict | None:
    if not (corpus / "papers").exists():
        return None
    counts: dict[str, Counter] = {t: Counter() for t in [*SENTENCE_TYPES, *DOCUMENT_TYPES]}
    clean_errors: Counter = Counter()
    for paper in load_papers(corpus):
        for f in run_checks(paper.text, paper.requirements, paper.pack):
            if f.severity == "error":
                clean_errors[f.check] += 1
        for kind, text, sentence in sentence_injections(paper):
            check = SENTENCE_TYPES[kind]
            found = [f for f in run_checks(text, paper.requirements, paper.pack) if f.check == check]
            hit = any(at(f, sentence) for f in found)
            counts[kind].update(cases=1, detected=int(hit), false=sum(not at(f, sentence) for f in found))
        for kind, text, section in document_injections(paper):
            check = DOCUMENT_TYPES[kind]
            found = [f for f in run_checks(text, paper.requirements, paper.pack) if f.check == check]
            hits = [f for f in found if not section or f.section == section]
            counts[kind].update(cases=1, detected=int(bool(hits)), false=len(found) - len(hits[:1]))
    table = {}
    for kind, c in counts.items():
        flagged = c["detected"] + c["false"]
        table[kind] = {
            "cases": c["cases"],
            "recall": round(c["detected"] / c["cases"], 3) if c["cases"] else None,
            "precision": round(c["detected"] / flagged, 3) if flagged else None,
            "check": (SENTENCE_TYPES | DOCUMENT_TYPES)[kind],
        }
    return {"by_type": table, "errors_on_clean_reports": dict(clean_errors)}


# 4. the reference system's reports ------------------------------------------------------------


def reference(corpus: Path) -> dict | None:
    found = task_005(corpus, "long_context_sampled_32k.json")
    if found is None:
        return None
    query, pack = found
    requirements = parse_request(query)
    reports = {}
    for path in model_runs(corpus):
        findings = run_checks(path.read_text(encoding="utf-8"), requirements, pack)
        unavailable = [f for f in findings if f.check == "citation.unresolved" and "long_context" not in f.message]
        rest = [f for f in findings if f not in unavailable]
        reports[path.name] = {
            "unresolvable_sources": len(unavailable),
            "errors": Counter(f.check for f in rest if f.severity == "error"),
            "warnings": Counter(f.check for f in rest if f.severity == "warning"),
            "examples": [f"{f.check}: {f.message[:140]}" for f in rest if f.severity == "error"][:5],
        }
    return reports


# 5. speed -------------------------------------------------------------------------------------


SPEED_BASELINE = "850506e"
"""The commit whose checks are the speed baseline: every cited unit's sentences embedded per claim,
two BLAS threads, no embeddings in the pack."""
CHECKS = """
import json, sys, time
from pathlib import Path
from services.validate.checks import run_checks
from shared import embeddings
from shared.requirements import parse_request
from shared.units import EvidencePack
folder, name = Path(sys.argv[1]), sys.argv[2]
pack = EvidencePack.model_validate_json((folder / name).read_text(encoding="utf-8"))
query = (folder / "query.txt").read_text(encoding="utf-8")
report = (folder / "report.md").read_text(encoding="utf-8")
embeddings.encode(["the encoder is loaded before the clock starts"])
rounds = []
for _ in range(2):
    wall, cpu = time.perf_counter(), time.process_time()
    findings = run_checks(report, parse_request(query), pack, query)
    rounds.append({"seconds": round(time.perf_counter() - wall, 3), "cpu_seconds": round(time.process_time() - cpu, 3)})
peak = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))
print(json.dumps({"first_round": rounds[0], "second_round": rounds[1], "findings": [f.model_dump_json() for f in findings],
                  "process_max_rss_mb": round(int(peak.split()[1]) / 1024, 1)}))
"""


def load_average() -> str:
    """The machine's 1-, 5- and 15-minute load averages (two cores shared with other work)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def checks_in_a_fresh_process(tree: Path, folder: Path, pack_file: str) -> dict:
    """Every offline check, twice, on ``folder``'s report and ``pack_file`` with the code in ``tree``,
    in a new process whose encoder is loaded before the clock starts."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", CHECKS, str(folder), pack_file], cwd=tree, env=env, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    result["findings"] = [Finding.model_validate_json(f).model_dump() for f in result["findings"]]
    return result


def speed(corpus: Path) -> dict | None:
    """Every offline check on a reference-size report, each in a fresh process: as the loop's
    validator runs them on a pack from the ingest service (sentence embeddings in the pack), as
    ``redline check`` runs them on a folder (no embeddings in the pack: the cited units' sentences are
    encoded in one batch), and the checks of ``SPEED_BASELINE``; a second round in the same process
    after each. The encoder is loaded before each clock starts (about 1 s once per process)."""
    papers = sorted((corpus / "papers").glob("*.pdf"))
    pages_file = corpus / "mirothinker_mm" / "task005" / "long_context_sampled_60.json"
    if not papers or not pages_file.exists():
        return None
    units: list[Unit] = []
    for path in papers:
        units += read_pdf(path.name, path.read_bytes())[0]
    pages = (units * 2)[:40]
    pages = [u.model_copy(update={"source": "paper.pdf", "index": n}) for n, u in enumerate(pages, 1)]
    chunks, _ = read_webpages(pages_file.name, pages_file.read_bytes())
    frames = [
        Unit(source="talk.mp4", kind="frame", index=n, text=pages[n % 40].text[:300], method="frames", start=n * 10.0)
        for n in range(1, 51)
    ]
    pack = EvidencePack(task_id="speed", units=pages + chunks + frames)
    query = "撰写《大模型技术论文阅读报告》，包含（1）论文基本信息；（2）核心内容摘要；（3）关键技术解析。字数2800至3200字，注明来源。"
    report = draft_report(parse_request(query), query, pack)
    load = {"before": load_average()}
    started, cpu = time.perf_counter(), time.process_time()
    packed = with_vectors(pack)
    ingest = {"seconds": round(time.perf_counter() - started, 3), "cpu_seconds": round(time.process_time() - cpu, 3)}
    runs = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "report.md").write_text(report, encoding="utf-8")
        (folder / "query.txt").write_text(query, encoding="utf-8")
        (folder / "pack.json").write_text(pack.model_dump_json(), encoding="utf-8")
        (folder / "packed.json").write_text(packed.model_dump_json(), encoding="utf-8")
        runs["loop_validator_pack_with_embeddings"] = checks_in_a_fresh_process(ROOT, folder, "packed.json")
        runs["redline_check_folder_no_embeddings_in_pack"] = checks_in_a_fresh_process(ROOT, folder, "pack.json")
        archive = subprocess.run(["git", "archive", SPEED_BASELINE], cwd=ROOT, capture_output=True)
        if archive.returncode == 0:
            (folder / "old").mkdir()
            subprocess.run(["tar", "-x", "-C", str(folder / "old")], input=archive.stdout, check=True)
            runs["baseline"] = checks_in_a_fresh_process(folder / "old", folder, "pack.json")
    load["after"] = load_average()
    cited = {id(u): u for g in read_report(report).groups for c in g.citations for u in resolve(c, pack.units)}
    findings = runs["redline_check_folder_no_embeddings_in_pack"]["findings"]
    return {
        "report_zi": count_zi(report),
        "report_sentences": len(read_report(report).sentences),
        "units": {"pages": len(pages), "web_chunks": len(chunks), "web_pages": 60, "frames": len(frames)},
        "evidence_sentences": {"all_units": len(packed.vectors.keys) if packed.vectors else 0, "cited_units": len(evidence_sentences([u.text for u in cited.values()]))},
        "load_average": load,
        "runs": {name: {k: v for k, v in run.items() if k != "findings"} for name, run in runs.items()},
        "ingest_embedding_every_unit_sentence": ingest,
        "pack_json_mb": {"without": round(len(pack.model_dump_json()) / 2**20, 2), "with": round(len(packed.model_dump_json()) / 2**20, 2)},
        "baseline_commit": SPEED_BASELINE,
        "same_findings": {name: run["findings"] == findings for name, run in runs.items()},
        "findings_by_check": {name: dict(Counter(f"{f['check']} {f['severity']}" for f in run["findings"])) for name, run in runs.items()},
        "findings": len(findings),
    }


# output ---------------------------------------------------------------------------------------


def markdown(results: dict) -> str:
    out = []
    if results.get("attribution"):
        a = results["attribution"]
        out += ["| support check | as shipped | 2-fold (calibrated on one half, measured on the other) |", "|---|---|---|"]
        for name in ("baseline", "meaning"):
            if a.get(name):
                row = a[name]
                out.append(f"| {name} | {row['balanced_accuracy_as_shipped']} | {row['balanced_accuracy_2fold']} {row['folds']} |")
        if a.get("with_judge"):
            j = a["with_judge"]
            out.append(f"| offline + judge {j['model']} on the {j['judged_pairs']} doubted pairs | {j['balanced_accuracy']} | |")
        out.append("")
    if results.get("claims"):
        judged = ["judged_doubts", "judged_all", "judge_alone"] if results["claims"]["judge"] else []
        out += ["| part | kind | claims | flagged | baseline flagged |" + "".join(f" {k} |" for k in judged), "|---|---|---:|---:|---:|" + "---:|" * len(judged)]
        for part, rows in results["claims"]["by_part"].items():
            for kind, row in rows.items():
                cells = "".join(f" {row[k]} |" for k in judged)
                out.append(f"| {part} | {kind} | {row['claims']} | {row['flagged']} | {row['baseline_flagged']} |{cells}")
        out.append("")
    if results.get("injected"):
        out += ["| injected error | check | cases | recall | precision |", "|---|---|---|---|---|"]
        for kind, row in results["injected"]["by_type"].items():
            out.append(f"| {kind} | {row['check']} | {row['cases']} | {row['recall']} | {row['precision']} |")
        out += [f"\nerrors on the clean reports: {results['injected']['errors_on_clean_reports']}", ""]
    if results.get("reference"):
        out += ["| report | unresolvable sources | errors | warnings |", "|---|---|---|---|"]
        for name, row in results["reference"].items():
            errors = ", ".join(f"{k} {v}" for k, v in sorted(row["errors"].items()))
            warnings = ", ".join(f"{k} {v}" for k, v in sorted(row["warnings"].items()))
            out.append(f"| {name} | {row['unresolvable_sources']} | {errors} | {warnings} |")
        out.append("")
    if results.get("speed"):
        s = results["speed"]
        out += ["| offline checks, reference size (fresh process) | first round s (processor s) | second round s (processor s) | max RSS MB |",
                "|---|---:|---:|---:|"]
        for name, run in s["runs"].items():
            first, second = run["first_round"], run["second_round"]
            out.append(f"| {name} | {first['seconds']} ({first['cpu_seconds']}) | {second['seconds']} ({second['cpu_seconds']}) | {run['process_max_rss_mb']} |")
        i = s["ingest_embedding_every_unit_sentence"]
        out += [f"\ningest, embedding {s['evidence_sentences']['all_units']} sentences: {i['seconds']} s ({i['cpu_seconds']} processor s); "
                f"pack {s['pack_json_mb']}; load average {s['load_average']}; same findings {s['same_findings']}"]
    return "\n".join(out)


def run_part(name: str, args: argparse.Namespace) -> dict | None:
    if name == "claims":
        return claims(args.corpus, args.judge_replies, args.judge_minutes * 60 if args.judge_minutes is not None else None)
    return PARTS[name](args.corpus)


PARTS = {"attribution": attribution, "claims": claims, "injected": injected, "reference": reference, "speed": speed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--part", choices=sorted(PARTS), action="append")
    parser.add_argument("--local-judge", action="store_true", help="Serve the shipped local model as the judge.")
    parser.add_argument("--judge-replies", type=Path, help="Keep the judge's verdicts on claims in this file between runs.")
    parser.add_argument("--judge-minutes", type=float, help="Ask the judge about claims for at most this long.")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(json.dumps({"skipped": "the shared corpus is not available"}))
        return 0
    with local_judge() if args.local_judge else contextlib.nullcontext():
        results = {name: run_part(name, args) for name in (args.part or PARTS)}
    print(json.dumps(results, ensure_ascii=False, indent=2, default=dict))
    print()
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
