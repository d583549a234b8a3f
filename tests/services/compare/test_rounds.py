from services.compare.alignment import split_report
from services.compare.rounds import place_findings, round_changes
from shared.events import RoundRecord
from tests.services.compare.pairs import B_BAD, ORIGINAL, finding

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


def test_a_repeated_finding_counts_once():
    assert round_changes([record(1, [X, X])])[0].raised == [X]


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


def test_a_finding_on_a_repeated_sentence_is_placed_at_its_index():
    sentences = split_report("甲句。\n乙句。\n甲句。")
    second = finding("claim.uncited", "甲句。").model_copy(update={"sentence_index": 2})

    placed, _ = place_findings(sentences, [second])

    assert list(placed) == [2]
