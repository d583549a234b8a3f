from services.compare.summary import SUPPORT_RULE, build_comparison
from shared.events import RoundRecord
from tests.services.compare.pairs import B_BAD, ORIGINAL, SHORT, UNRESOLVED, A, D, E, accepted, finding


def test_rows_follow_the_known_edits():
    rows = build_comparison(accepted()).sentences

    assert [(r.status, r.recited) for r in rows] == [
        ("kept", False),
        ("kept", False),
        ("kept", True),
        ("edited", False),
        ("removed", False),
        ("added", False),
    ]


def test_sentence_counts_by_status():
    numbers = build_comparison(accepted()).numbers

    assert (numbers.kept, numbers.edited, numbers.added, numbers.removed, numbers.recited) == (3, 1, 1, 1, 1)


def test_first_round_error_makes_its_sentence_unsupported_before():
    rows = build_comparison(accepted()).sentences

    assert rows[2].findings_before == [UNRESOLVED]
    assert rows[2].supported_before is False
    assert rows[2].supported_after is True


def test_supported_share_before_and_after():
    numbers = build_comparison(accepted()).numbers

    assert (numbers.before.cited, numbers.before.supported, numbers.before.supported_share) == (3, 2, 0.6667)
    assert (numbers.after.cited, numbers.after.supported, numbers.after.supported_share) == (3, 3, 1.0)


def test_uncited_sentences_have_no_support_verdict():
    rows = build_comparison(accepted()).sentences

    assert rows[0].supported_before is None  # the heading
    assert rows[3].supported_after is None  # the edited sentence has no citation


def test_a_warning_does_not_make_a_sentence_unsupported():
    warned = finding("citation.noncanonical", A, severity="warning")
    numbers = build_comparison(accepted(remaining=[warned])).numbers

    assert numbers.after.supported == 3


def test_remaining_error_makes_the_final_sentence_unsupported():
    numbers = build_comparison(accepted(remaining=[finding("citation.unresolved", E)])).numbers

    assert (numbers.after.supported, numbers.after.supported_share) == (2, 0.6667)


def test_preservation_counts_supported_original_sentences_kept():
    numbers = build_comparison(accepted()).numbers

    assert (numbers.preservable, numbers.preserved, numbers.preservation) == (2, 1, 0.5)


def test_a_recited_supported_sentence_counts_as_preserved():
    original = ORIGINAL.replace(B_BAD, "").replace(D, "")
    final = original.replace("page 1]", "page 2]")

    numbers = build_comparison(accepted(original, final, rounds=[], remaining=[])).numbers

    assert (numbers.preservable, numbers.preserved, numbers.recited) == (1, 1, 1)


def test_lengths_in_characters_and_zi():
    data = accepted("甲乙丙。[文档: a.pdf, page 1]\n", "甲乙丙丁。[文档: a.pdf, page 1]", rounds=[], remaining=[])

    numbers = build_comparison(data).numbers

    assert (numbers.before.characters, numbers.after.characters) == (23, 24)
    assert (numbers.before.zi, numbers.after.zi) == (4, 5)


def test_shares_are_none_without_cited_sentences():
    numbers = build_comparison(accepted("没有引用。", "仍然没有引用。", rounds=[], remaining=[])).numbers

    assert numbers.before.supported_share is None
    assert numbers.preservation is None


def test_findings_without_a_sentence_are_unplaced():
    comparison = build_comparison(accepted())

    assert comparison.unplaced_before == [SHORT]
    assert comparison.unplaced_after == [SHORT]


def test_document_states_the_support_rule_and_stop_reason():
    comparison = build_comparison(accepted())

    assert comparison.definitions["supported"] == SUPPORT_RULE
    assert comparison.stop_reason == "passed: no error-level finding"
    assert comparison.accepted_version == 2


def test_rounds_carry_raised_and_resolved_findings():
    rounds = build_comparison(accepted()).rounds

    assert [[f.check for f in r.raised] for r in rounds] == [["citation.unresolved", "length.too_short"], []]
    assert [[f.check for f in r.resolved] for r in rounds] == [[], ["citation.unresolved"]]


def test_an_edited_sentence_with_new_citations_is_not_counted_as_recited():
    final = ORIGINAL.replace(
        "先检索再生成答案[文档: paper.pdf, page 1]", "先检索相关片段再生成答案[文档: paper.pdf, page 2]"
    )

    comparison = build_comparison(accepted(ORIGINAL, final, rounds=[], remaining=[]))

    assert [(r.status, r.recited) for r in comparison.sentences][1] == ("edited", True)
    assert comparison.numbers.recited == 0


def test_a_first_draft_error_gone_from_the_final_is_resolved():
    numbers = build_comparison(accepted()).numbers

    assert (numbers.errors_before, numbers.resolved, numbers.remaining) == (1, 1, 0)


def test_an_error_still_in_the_final_is_not_resolved_though_its_citation_changed():
    moved = B_BAD.replace("page 9", "page 8")
    still = finding("citation.unresolved", moved, citation="[文档: paper.pdf, page 8]")
    final = ORIGINAL.replace(B_BAD, moved)
    rounds = [
        RoundRecord(
            report_version=1, chars=1, errors=1, warnings=0, findings=[UNRESOLVED], verdict="revise", text=ORIGINAL
        ),
        RoundRecord(report_version=2, chars=1, errors=1, warnings=0, findings=[still], verdict="stop", text=final),
    ]

    numbers = build_comparison(accepted(ORIGINAL, final, rounds=rounds, remaining=[still])).numbers

    assert (numbers.errors_before, numbers.resolved, numbers.remaining) == (1, 0, 1)


def test_every_number_has_one_definition():
    comparison = build_comparison(accepted())

    assert {"kept", "edited", "preserved", "resolved", "remaining"} <= set(comparison.definitions)
