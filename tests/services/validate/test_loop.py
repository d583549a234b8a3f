"""The revision loop's decisions, on hand-made versions."""

from services.validate.loop import Version, decide
from shared.findings import Finding

ERROR = Finding(check="length.too_short", severity="error", message="short")
OTHER = Finding(check="citation.unresolved", severity="error", message="bad", citation="[x]")
WARNING = Finding(check="citation.noncanonical", severity="warning", message="form")
PLACEHOLDER = Finding(check="structure.placeholder", severity="error", message="placeholder")
REPORT = "正文" * 100


def test_first_draft_without_errors_passes():
    decision = decide(Version(1, REPORT, [WARNING]), None, [], max_rounds=3)

    assert decision.accept and decision.stop_reason.startswith("passed")


def test_first_draft_with_errors_asks_for_revision():
    decision = decide(Version(1, REPORT, [ERROR]), None, [], max_rounds=3)

    assert not decision.accept and decision.record.verdict == "revise"


def test_revision_with_more_errors_is_rejected_and_base_kept():
    base = Version(1, REPORT, [ERROR])
    first = decide(base, None, [], max_rounds=3)

    decision = decide(Version(2, REPORT, [ERROR, OTHER]), base, [first.record], max_rounds=3)

    assert decision.best is base
    assert "more errors" in decision.record.note


def test_placeholder_revision_is_rejected():
    base = Version(1, REPORT, [ERROR])
    first = decide(base, None, [], max_rounds=3)

    decision = decide(Version(2, "[Please provide the report]", [PLACEHOLDER]), base, [first.record], max_rounds=3)

    assert decision.best is base and "placeholder" in decision.record.note


def test_much_shorter_revision_is_rejected():
    base = Version(1, REPORT, [ERROR, OTHER])
    first = decide(base, None, [], max_rounds=3)

    decision = decide(Version(2, REPORT[:50], [ERROR]), base, [first.record], max_rounds=3)

    assert decision.best is base and "much shorter" in decision.record.note


def test_round_that_fixes_nothing_stops_the_loop():
    base = Version(1, REPORT, [ERROR])
    first = decide(base, None, [], max_rounds=3)

    decision = decide(Version(2, REPORT + "。", [ERROR]), base, [first.record], max_rounds=3)

    assert decision.accept and decision.stop_reason.startswith("no progress")


def test_spent_budget_accepts_the_best_version():
    base = Version(2, REPORT, [ERROR, OTHER])
    first = decide(Version(1, REPORT, [ERROR, OTHER, WARNING]), None, [], max_rounds=1)

    decision = decide(Version(2, REPORT, [ERROR]), base, [first.record], max_rounds=1)

    assert decision.accept and decision.stop_reason.startswith("revision budget spent (1)")
    assert decision.best.number == 2
