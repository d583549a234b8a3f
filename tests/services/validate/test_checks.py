"""run_checks and summarise on hand-made reports, and on the reference system's real reports."""

import json

import pytest

from services.compare.comparison import split_comparison
from services.validate.checks import run_checks, summarise
from shared.citations import find_citations
from shared.findings import Finding
from shared.report import Report
from shared.requirements import parse_request
from shared.units import EvidencePack
from tests.corpus import CORPUS, SEED, need
from tests.services.validate.reports import PACK, REQUIREMENTS, good_report, with_length

TASK = CORPUS / "mirothinker_mm" / "task005"
RUNS = TASK / "model_runs"


def test_good_report_has_no_findings():
    assert run_checks(good_report(), REQUIREMENTS, PACK) == []


def test_empty_text_gives_only_the_empty_finding():
    assert [f.check for f in run_checks("", REQUIREMENTS, PACK)] == ["structure.empty"]


def test_placeholder_is_not_checked_as_a_report():
    findings = run_checks("No report generated.", with_length(2000, 3000), PACK)

    assert [f.check for f in findings] == ["structure.placeholder"]


def test_short_preamble_is_not_checked_as_a_report():
    findings = run_checks("I'll search the sources first.\n<tool_call>{}</tool_call>", with_length(2000, 3000), PACK)

    assert [f.check for f in findings] == ["structure.preamble"]


def test_preamble_before_a_report_does_not_stop_the_other_checks():
    text = "Let me write the report now.\n" + good_report() + "补充正文。" * 40

    findings = run_checks(text, with_length(maximum=100), PACK)

    assert [f.check for f in findings] == ["structure.preamble", "length.too_long"]


def test_summarise_counts_by_severity_and_check():
    findings = [
        Finding(check="citation.unresolved", severity="error", message="a"),
        Finding(check="citation.unresolved", severity="error", message="b"),
        Finding(check="citation.noncanonical", severity="warning", message="c"),
    ]

    assert summarise(findings) == {
        "total": 3,
        "by_severity": {"error": 2, "warning": 1},
        "by_check": {"citation.unresolved": 2, "citation.noncanonical": 1},
    }


# --- the reference system's reports for task 005 -------------------------------------------------


def model_run(name: str) -> str:
    """The report part of one model-run file (after its '## Report' heading)."""
    text = need(RUNS / name).read_text(encoding="utf-8")
    return text.split("## Report\n", 1)[1]


def json_query() -> str:
    """Task 005's request from the benchmark's query file."""
    lines = need(CORPUS / "mirothinker_mm" / "query.jsonl").read_text(encoding="utf-8").splitlines()
    return next(row["query"] for row in map(json.loads, filter(None, lines)) if row["task"] == "005")


@pytest.fixture(scope="module")
def seed():
    return split_comparison(need(SEED / "comparison_task005.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def web_pack():
    webpages = pytest.importorskip("services.ingest.webpages")
    path = need(TASK / "long_context_sampled_60.json")
    units, meta = webpages.read_webpages(path.name, path.read_bytes())
    return EvidencePack(task_id="005", units=units, sources=[meta])


def long_context_unresolved(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.check == "citation.unresolved" and "long_context" in f.evidence]


@pytest.mark.corpus
@pytest.mark.parametrize("version", ["original", "final"])
def test_seed_web_citations_resolve(seed, web_pack, version):
    findings = run_checks(seed[version], parse_request(seed["query"]), web_pack)

    assert any(c.kind == "chunk" for group in find_citations(seed[version]) for c in group.citations)
    assert long_context_unresolved(findings) == []


@pytest.mark.corpus
def test_seed_original_report_is_too_short(seed, web_pack):
    findings = run_checks(seed["original"], parse_request(seed["query"]), web_pack)

    assert "length.too_short" in [f.check for f in findings]


@pytest.mark.corpus
@pytest.mark.parametrize("version", ["original", "final"])
def test_seed_reports_have_title_and_sections(seed, web_pack, version):
    findings = run_checks(seed[version], parse_request(seed["query"]), web_pack)

    assert not [f for f in findings if f.check.startswith("structure.")]


@pytest.mark.corpus
def test_tool_call_preamble_run_is_not_a_report():
    findings = run_checks(model_run("32k_claude35_initial_report.md"), parse_request(json_query()), PACK)

    assert {"structure.preamble", "structure.placeholder"} & {f.check for f in findings}


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "32k_claude35_final_report.md",
        "32k_claude37_sonnet_initial_report.md",
        "32k_claude37_sonnet_final_report.md",
        "32k_gpt4.1_initial_report.md",
        "32k_gpt4.1_final_report.md",
    ],
)
def test_real_reports_are_not_preambles_or_placeholders(name):
    findings = run_checks(model_run(name), parse_request(json_query()), PACK)

    assert not {"structure.preamble", "structure.placeholder"} & {f.check for f in findings}


@pytest.mark.corpus
def test_run_cut_off_at_the_token_limit_is_truncated():
    findings = run_checks(model_run("32k_claude35_final_report.md"), parse_request(json_query()), PACK)

    assert "structure.truncated" in [f.check for f in findings]


def test_a_finding_quoting_a_whole_sentence_carries_its_index():
    text = good_report() + "\n论文官方网站：https://github.com/example/repo\n"

    finding = next(f for f in run_checks(text, REQUIREMENTS, PACK) if f.check == "metadata.link_kind")

    assert finding.sentence_index == len(Report(text).sentences) - 1
