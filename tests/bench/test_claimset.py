from collections import Counter

import pytest

from bench import claimset

PAGES = {name: 20 for name in claimset.PAPERS.values()}


def test_every_claim_of_the_second_file_is_the_second_held_out_part_and_no_other_is():
    claims = claimset.load(PAGES)

    parts = {(claim.id.startswith("H"), claim.part) for claim in claims}

    assert parts == {(True, "heldout_2"), (False, "heldout_1"), (False, "tuning")}


def test_the_first_held_out_part_keeps_its_claims_and_may_now_guide_tuning():
    claims = [c for c in claimset.load(PAGES) if c.part == "heldout_1"]

    assert Counter(c.label for c in claims)["supported"] == 52
    assert all(c.tunable for c in claims)


def test_the_second_held_out_part_has_every_wrong_kind_and_about_two_fifths_supported():
    claims = claimset.read(claimset.HELD_OUT)
    kinds = Counter(c.label for c in claims)

    assert len(claims) >= 160
    assert 0.35 <= kinds["supported"] / len(claims) <= 0.45
    assert min(kinds[k] for k in claimset.KINDS if k not in ("supported", "wrong_page", "out_of_range")) >= 12


def test_a_malformed_line_is_an_error_naming_its_file_and_line(tmp_path):
    path = tmp_path / "claims.tsv"
    path.write_text("# id\tlabel\tpaper\tpage\tclaim\nX01\tsupported\tnature\t3\tA claim.\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"claims\.tsv:2: expected id, label"):
        claimset.read(path)
