import pytest

from services.validate.quantities import find_dates, find_quantities, same_amount


def values(text: str) -> list[float]:
    return [q.value for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("one", "other"),
    [("60亿", "6B"), ("17万", "170k"), ("百分之七十一", "71 %"), ("1.5万", "15,000"), ("二〇三五年", "2035"),
     ("8.16 亿", "816 million"), ("3600万", "36M"), ("三年", "3 years")],
)
def test_one_amount_written_two_ways_is_the_same(one, other):
    [a], [b] = find_quantities(one), find_quantities(other)
    assert same_amount(a, b)


def test_a_different_amount_is_not_the_same():
    [a], [b] = find_quantities("8.61亿"), find_quantities("8.16 亿")
    assert not same_amount(a, b)


def test_an_approximate_amount_matches_within_ten_percent():
    [a], [b] = find_quantities("约5000名"), find_quantities("5,300")
    assert a.approximate
    assert same_amount(a, b)


def test_an_approximate_amount_does_not_match_a_far_one():
    [a], [b] = find_quantities("近2.1亿元"), find_quantities("1.2亿元")
    assert not same_amount(a, b)


def test_a_range_gives_both_ends():
    assert values("三年到六年") == [3.0, 6.0]


def test_a_lone_chinese_numeral_without_a_measure_word_is_no_quantity_in_a_claim():
    assert values("一方面，十分重要") == []


def test_digits_inside_a_name_are_no_quantity():
    assert values("8块P100") == [8.0]


def test_english_number_words_count():
    assert values("twelve hours on eight GPUs") == [12.0, 8.0]


def test_evidence_read_loosely_states_a_number_glued_to_a_word():
    assert [q.value for q in find_quantities("For each question, we retrieve top100 passages.", loose=True)] == [100.0]


def test_a_claim_is_not_read_for_a_number_glued_to_a_word():
    assert values("The big model was trained on P100 GPUs.") == []


def test_an_english_month_next_to_a_day_is_its_number():
    assert values("The paper was published on Jul. 30th, 2024.") == [7.0, 30.0, 2024.0]


def test_a_month_name_without_a_day_or_year_is_no_number():
    assert values("Results May vary from March onwards.") == []


def test_a_footnote_marker_glued_to_the_next_sentence_is_no_quantity():
    assert values("5QAMPARI requires a list as the answer. 目前尚缺5参见判决书。") == []


def test_a_month_of_a_year_is_found_in_chinese_and_english_forms():
    assert find_dates("2022 年 5 月，又于 May 3, 2023 和 Sept. 2021") == [(2022, 5), (2023, 5), (2021, 9)]
