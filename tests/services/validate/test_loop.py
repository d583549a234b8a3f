"""The revision loop's decisions, on hand-made versions."""

from services.validate.loop import Version, decide
from shared.findings import Finding

ERROR = Finding(check="length.too_short", severity="error", message="short")
OTHER = Finding(check="citation.unresolved", severity="error", message="bad", citation="[x]")
MOVED = Finding(check="citation.unresolved", severity="error", message="bad", citation="[y]")
WARNING = Finding(check="citation.noncanonical", severity="warning", message="form")
PLACEHOLDER = Finding(check="structure.placeholder", severity="error", message="placeholder")
REPORT = "正文" * 100


def test_first_draft_without_errors_passes():
    decision = decide(Version(1, REPORT, [WARNING]), None, max_rounds=3)

    assert decision.accept and decision.stop_reason.startswith("passed")


def test_first_draft_with_errors_asks_for_revision():
    decision = decide(Version(1, REPORT, [ERROR]), None, max_rounds=3)

    assert not decision.accept and decision.record.verdict == "revise"


def test_the_record_keeps_the_versions_text():
    decision = decide(Version(1, REPORT, [ERROR]), None, max_rounds=3)

    assert decision.record.text == REPORT


def test_revision_with_more_errors_is_rejected_and_the_loop_stops_at_the_base():
    base = Version(1, REPORT, [ERROR])

    decision = decide(Version(2, REPORT, [ERROR, OTHER]), base, max_rounds=3)

    assert decision.best is base and decision.accept
    assert decision.record.verdict == "rejected" and "more errors" in decision.record.note
    assert decision.stop_reason == "no progress: version 2 was rejected, so the loop stops at version 1"


def test_placeholder_revision_is_rejected():
    base = Version(1, REPORT, [ERROR])

    decision = decide(Version(2, "[Please provide the report]", [PLACEHOLDER]), base, max_rounds=3)

    assert decision.best is base and "placeholder" in decision.record.note


def test_much_shorter_revision_is_rejected_though_it_has_fewer_errors():
    base = Version(1, REPORT, [ERROR, OTHER])

    decision = decide(Version(2, REPORT[:50], [ERROR]), base, max_rounds=3)

    assert decision.best is base and "much shorter" in decision.record.note and decision.accept


def test_a_round_that_does_not_lower_the_error_count_stops_the_loop_and_says_so():
    base = Version(2, REPORT, [ERROR, OTHER])

    decision = decide(Version(3, REPORT + "。", [ERROR, MOVED]), base, max_rounds=3)

    assert decision.accept and decision.best.number == 3
    assert decision.stop_reason == "no progress: version 3 has 2 errors, version 2 had 2; the loop stops"


def test_a_round_that_lowers_the_error_count_goes_on():
    base = Version(1, REPORT, [ERROR, OTHER])

    decision = decide(Version(2, REPORT + "。", [ERROR]), base, max_rounds=3)

    assert not decision.accept and decision.best.number == 2


def test_spent_budget_accepts_the_best_version():
    base = Version(1, REPORT, [ERROR, OTHER, WARNING])

    decision = decide(Version(2, REPORT, [ERROR]), base, max_rounds=1)

    assert decision.accept and decision.stop_reason.startswith("revision budget spent (1)")
    assert decision.best.number == 2


def test_a_much_shorter_revision_of_a_too_long_base_is_kept():
    too_long = Finding(check="length.too_long", severity="error", message="long")
    base = Version(1, REPORT * 4, [too_long, OTHER])

    decision = decide(Version(2, REPORT, [OTHER]), base, max_rounds=3)

    assert decision.best.number == 2 and decision.record.note == ""
