"""Findings and labels in the request's language."""

from services.compare.messages import CHECKS_ZH, LABELS, finding_text, loop_text
from shared.findings import Finding

AUTHORS = Finding(
    check="metadata.authors",
    severity="error",
    message="The author 'Lena Hartman' is not on the paper's first page (possible misspelling of 'hartmann').",
)


def test_a_chinese_finding_is_said_from_the_catalogue_with_its_quoted_specifics():
    assert finding_text(AUTHORS, "zh") == "作者与论文首页不符。（Lena Hartman；hartmann）"


def test_an_english_finding_keeps_its_message():
    assert finding_text(AUTHORS, "en") == AUTHORS.message


def test_a_check_missing_from_the_catalogue_is_named_by_its_id():
    unknown = Finding(check="claim.negated", severity="error", message="The claim negates its source.")

    assert finding_text(unknown, "zh") == "检查 claim.negated 发现问题。"


def test_a_section_finding_names_its_section():
    missing = Finding(check="structure.section_missing", severity="error", message="Missing.", section="（2）方法")

    assert finding_text(missing, "zh") == "缺少要求的章节。（（2）方法）"


def test_both_catalogues_have_the_same_labels():
    assert set(LABELS["zh"]) == set(LABELS["en"])
    assert all(text.endswith("。") for text in CHECKS_ZH.values())


def test_a_stop_reason_is_said_in_chinese():
    reason = "no progress: version 3 has 17 errors, version 2 had 17; the loop stops"

    assert loop_text(reason, "zh") == "无进展：第 3 版有 17 个错误，第 2 版有 17 个；循环停止"


def test_an_unknown_stop_reason_stays_as_written():
    assert loop_text("timed out", "zh") == "timed out"
