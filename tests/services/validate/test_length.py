"""Length checks on hand-made reports."""

from services.validate.length import check_length, check_self_report
from shared.requirements import Requirements
from shared.wordcount import CONVENTION, count_zi
from tests.services.validate.reports import REQUIREMENTS, cite, good_report, with_length

REPORT = good_report()
ZI = count_zi(REPORT)
ZI_WITH_CITATIONS = count_zi(REPORT, include_citations=True)


def test_report_inside_the_range_passes():
    assert check_length(REPORT, with_length(ZI - 5, ZI + 5)) == []


def test_no_length_requirement_gives_no_finding():
    assert check_length(REPORT, REQUIREMENTS) == []


def test_short_report_is_too_short():
    findings = check_length(REPORT, with_length(ZI + 100, ZI + 200))

    assert [(f.check, f.severity) for f in findings] == [("length.too_short", "error")]


def test_too_short_message_states_count_range_convention_and_count_with_citations():
    message = check_length(REPORT, with_length(ZI + 100, ZI + 200))[0].message

    assert str(ZI) in message
    assert f"{ZI + 100}–{ZI + 200}" in message
    assert CONVENTION in message
    assert str(ZI_WITH_CITATIONS) in message


def test_long_report_is_too_long():
    assert [f.check for f in check_length(REPORT, with_length(maximum=ZI - 10))] == ["length.too_long"]


def test_citations_do_not_count_towards_the_length():
    assert ZI_WITH_CITATIONS > ZI
    assert [f.check for f in check_length(REPORT, with_length(minimum=ZI + 1))] == ["length.too_short"]


def test_english_length_is_counted_in_words():
    text = "The paper explains the squeezing effect in preference tuning. " * 10

    findings = check_length(text, Requirements(language="en", length={"minimum": 200, "unit": "words"}))

    assert findings[0].check == "length.too_short"
    assert "90 words" in findings[0].message


def test_wrong_stated_length_is_reported():
    text = REPORT + "\n【字数约2560字，含注释】"

    findings = check_self_report(text)

    assert [(f.check, f.evidence) for f in findings] == [("length.self_report", "字数约2560字")]


def test_stated_total_is_read_in_any_phrasing():
    assert [f.check for f in check_self_report(REPORT + "\n全文约3000字。")] == ["length.self_report"]


def test_accurate_stated_length_passes():
    text = REPORT + f"\n（全文约{ZI}字）"

    assert check_self_report(text) == []


def test_stated_length_including_citations_is_compared_with_the_count_with_citations():
    text = REPORT + ("补充说明。" + cite(0) + "\n") * 20
    statement = f"【字数约{count_zi(text, include_citations=True)}字，含注释】"

    assert check_self_report(text + statement) == []
    assert check_self_report(text + statement.replace("，含注释", "")) != []


def test_stated_length_in_english_words_is_checked():
    text = "The paper explains the squeezing effect in preference tuning (about 2,000 words)."

    assert [f.check for f in check_self_report(text)] == ["length.self_report"]


def test_the_requested_range_quoted_in_the_report_is_not_a_self_report():
    assert check_self_report(REPORT + "\n本报告要求字数在2000至3000字。") == []
