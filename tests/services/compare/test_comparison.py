from datetime import datetime

from services.compare.comparison import render_comparison, split_comparison
from tests.corpus import SEED, need

WHEN = datetime(2025, 12, 3, 15, 51, 53)


def test_seed_file_is_reproduced_byte_for_byte_except_generated_at():
    seed = need(SEED / "comparison_task005.txt").read_text(encoding="utf-8")
    parts = split_comparison(seed)

    rendered = render_comparison(parts["task"], parts["query"], parts["original"], parts["final"], WHEN)

    assert rendered == seed


def test_lengths_are_code_points_of_stripped_text():
    text = render_comparison("t", "", "  字数a \n", "字数ab", WHEN)

    assert "Original report length: 3 characters\n" in text
    assert "Length difference: 1 characters\n" in text


def test_negative_difference_is_a_plain_integer():
    text = render_comparison("t", "", "abcd", "ab", WHEN)

    assert "Length difference: -2 characters\n" in text


def test_equal_reports_are_marked_identical():
    text = render_comparison("t", "q", "same", "same", WHEN)

    assert text.endswith("\n✅ Reports are IDENTICAL (no changes made during validation)\n")


def test_query_block_is_left_out_without_a_query():
    text = render_comparison("t", "", "a", "b", WHEN)

    assert "QUERY" not in text


def test_missing_reports_say_so():
    text = render_comparison("t", "", "", "", WHEN)

    assert "\nNo original report generated.\n" in text
    assert "\nNo final report generated.\n" in text
