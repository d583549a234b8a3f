from services.compare.report_md import render_comparison_md
from services.compare.summary import build_comparison
from tests.services.compare.pairs import C_EDITED, D, E, accepted


def markdown() -> str:
    return render_comparison_md(build_comparison(accepted()))


def test_summary_table_has_both_sides():
    assert "| Supported | 2 (66.7%) | 3 (100.0%) |" in markdown()


def test_sentence_counts_and_preservation_are_stated():
    text = markdown()

    assert "Sentences: 3 kept (1 re-cited), 1 edited, 1 added, 1 removed." in text
    assert "Preservation: 50.0% (1 of 2 supported original sentences)." in text


def test_each_round_lists_what_it_raised_and_resolved():
    text = markdown()

    assert "### Round 1: version 1, revise" in text
    assert "Resolved (1):\n- [error] `citation.unresolved`" in text


def test_changed_sentences_are_listed_by_kind():
    text = markdown()

    assert "## Edited sentences (1)" in text
    assert f"After: {C_EDITED}" in text
    assert f"## Added sentences (1)\n\n- After: {E}" in text
    assert f"## Removed sentences (1)\n\n- Before: {D}" in text
    assert "## Re-cited sentences (1)" in text


def test_report_wide_findings_are_listed():
    assert "## Findings on the final report as a whole\n\n- [warning] `length.too_short`" in markdown()


def test_stop_reason_is_stated():
    assert "Stop reason: passed: no error-level finding" in markdown()
