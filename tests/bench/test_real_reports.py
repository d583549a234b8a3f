"""bench.real_reports: what counts as a fragment finding, and the restyled citations."""

from bench.real_reports import is_fragment, restyled, verdict_of


def test_a_piece_of_a_split_citation_is_a_fragment():
    assert is_fragment(', chunk 2】。')


def test_a_sentence_with_its_whole_citation_is_no_fragment():
    assert not is_fragment('模型很好【long_context: "如何系统的入门大模型？", chunk 2】。')


def test_a_repeated_page_is_restyled_as_shorthand():
    text = '甲[long_context: "T", chunk 1]。乙[long_context: "T", chunk 3]。'

    assert restyled(text) == '甲【long_context: "T", chunk 1】。乙【chunk 3】。'


def test_a_finding_no_verdict_matches_is_unreviewed():
    finding = {"check": "citation.unresolved", "message": "x", "sentence": "y"}

    assert verdict_of(finding, [{"check": "claim.uncited", "pattern": "*", "verdict": "right", "reason": ""}]) == (
        "unreviewed",
        "",
    )
