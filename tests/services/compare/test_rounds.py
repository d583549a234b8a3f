from services.compare.alignment import split_report
from services.compare.rounds import grouped, place_findings, round_changes
from shared.events import RoundRecord
from tests.services.compare.pairs import B_BAD, C_EDITED, FINAL, ORIGINAL, UNRESOLVED, A, C, D, finding

X = finding("citation.unresolved", "x")
Y = finding("citation.missing", "y")
Z = finding("structure.preamble", "z")


def record(version: int, findings: list, verdict: str = "revise") -> RoundRecord:
    return RoundRecord(
        report_version=version, chars=1, errors=len(findings), warnings=0, findings=findings, verdict=verdict
    )


def test_first_round_raises_everything_it_found():
    change = round_changes([record(1, [X, Y])])[0]

    assert change.raised == [X, Y]
    assert change.resolved == []


def test_later_round_raises_new_keys_and_resolves_missing_ones():
    change = round_changes([record(1, [X, Y]), record(2, [Y, Z])])[1]

    assert change.raised == [Z]
    assert change.resolved == [X]


def test_a_rejected_round_is_not_the_base_of_the_next():
    changes = round_changes([record(1, [X]), record(2, [X, Y, Z], "rejected"), record(3, [])])

    assert changes[1].raised == [Y, Z]
    assert changes[2].resolved == [X]


def test_a_repeated_finding_counts_each_time_as_the_error_count_does():
    assert round_changes([record(1, [X, X])])[0].raised == [X, X]


def test_a_repeated_finding_is_listed_once_with_its_count():
    assert grouped([X, Y, X]) == [(X, 2), (Y, 1)]


def test_a_finding_is_placed_at_the_sentence_it_quotes():
    sentences = split_report(ORIGINAL)
    bad = finding("citation.unresolved", B_BAD)

    placed, unplaced = place_findings(sentences, [bad])

    assert placed == {2: [bad]}
    assert unplaced == []


def test_a_finding_quoting_a_whole_line_is_placed_at_its_first_sentence():
    sentences = split_report(ORIGINAL)
    line = ORIGINAL.splitlines()[2]

    placed, _ = place_findings(sentences, [finding("structure.truncated", line)])

    assert list(placed) == [1]


def test_a_finding_without_a_sentence_is_unplaced():
    short = finding("length.too_short", severity="warning")

    placed, unplaced = place_findings(split_report(ORIGINAL), [short])

    assert placed == {}
    assert unplaced == [short]


def versioned(version: int, text: str, findings: list, verdict: str = "revise") -> RoundRecord:
    return record(version, findings, verdict).model_copy(update={"text": text})


def test_a_citation_pointed_elsewhere_and_still_unresolved_is_not_resolved():
    moved = B_BAD.replace("page 9", "page 8")
    before = finding("citation.unresolved", B_BAD, citation="[文档: paper.pdf, page 9]")
    after = finding("citation.unresolved", moved, citation="[文档: paper.pdf, page 8]")

    change = round_changes([versioned(1, ORIGINAL, [before]), versioned(2, ORIGINAL.replace(B_BAD, moved), [after])])[1]

    assert (change.raised, change.resolved) == ([], [])


def test_an_edited_sentence_that_keeps_its_problem_is_not_resolved():
    before = finding("citation.unsupported", C)
    after = finding("citation.unsupported", C_EDITED)

    change = round_changes([versioned(1, ORIGINAL, [before]), versioned(2, ORIGINAL.replace(C, C_EDITED), [after])])[1]

    assert (change.raised, change.resolved) == ([], [])


def test_a_repaired_citation_resolves_its_problem():
    change = round_changes([versioned(1, ORIGINAL, [UNRESOLVED]), versioned(2, FINAL, [])])[1]

    assert change.resolved == [UNRESOLVED]


def test_a_removed_sentence_takes_its_problem_with_it():
    bad = finding("citation.unsupported", D)

    change = round_changes([versioned(1, ORIGINAL, [bad]), versioned(2, ORIGINAL.replace(D, ""), [])])[1]

    assert change.resolved == [bad]


def test_the_same_check_on_another_sentence_is_a_new_problem():
    change = round_changes(
        [
            versioned(1, ORIGINAL, [finding("citation.unsupported", C)]),
            versioned(2, ORIGINAL, [finding("citation.unsupported", A)]),
        ]
    )[1]

    assert [f.sentence for f in change.raised] == [A]
    assert [f.sentence for f in change.resolved] == [C]


def test_of_two_sentences_alike_but_for_their_citation_a_finding_names_the_one_it_quotes():
    copy = B_BAD.replace("page 9", "page 2")
    sentences = split_report(f"{copy}{B_BAD}")

    placed, _ = place_findings(sentences, [UNRESOLVED])

    assert placed == {1: [UNRESOLVED]}


def test_a_finding_on_a_repeated_sentence_is_placed_at_its_index():
    sentences = split_report("甲句。\n乙句。\n甲句。")
    second = finding("claim.uncited", "甲句。").model_copy(update={"sentence_index": 2})

    placed, _ = place_findings(sentences, [second])

    assert list(placed) == [2]
