"""Anchors: what a sentence states that evidence must contain, and near misses."""

from services.validate.anchors import edit_distance, find_anchors, missing_anchors, prepare

EVIDENCE = prepare(
    "Our model achieves 28.4 BLEU on the WMT 2014 English-to-German task, trained for 3.5 days "
    "on 1,000 examples by Vaswani et al. Code: https://github.com/tensorflow/tensor2tensor"
)


def keys(sentence: str) -> list[str]:
    return [a.key for a in find_anchors(sentence)]


def test_english_sentence_anchors_are_names_terms_and_numbers():
    assert keys("The Transformer reaches 28.4 BLEU on WMT 2014, says Vaswani.") == [
        "transformer", "bleu", "wmt", "vaswani", "28.4", "2014",
    ]


def test_a_common_first_word_of_an_english_sentence_is_not_a_name():
    assert keys("Attention is what matters.") == []


def test_a_rare_first_word_of_an_english_sentence_is_a_name():
    assert keys("Sutskever trained it.") == ["sutskever"]


def test_chinese_sentence_anchors_every_latin_word_and_number():
    assert keys("该模型在WMT 2014英德任务上取得28.4的BLEU分数。") == ["wmt", "bleu", "2014", "28.4"]


def test_small_integers_are_not_anchors():
    assert keys("模型有3个模块。") == []


def test_thousands_separator_is_ignored():
    assert not missing_anchors(find_anchors("它使用了1000个样本。"), EVIDENCE)


def test_url_is_found_without_scheme_and_trailing_slash():
    assert not missing_anchors(find_anchors("代码见 http://github.com/tensorflow/tensor2tensor/ 。"), EVIDENCE)


def test_plural_term_matches_singular_evidence():
    assert not missing_anchors(find_anchors("两个Models都用了BLEU。"), prepare("the model uses BLEU"))


def test_altered_number_is_missing_with_its_near_miss():
    (miss,) = missing_anchors(find_anchors("它取得了28.5的分数。"), EVIDENCE)

    assert (miss.anchor.key, miss.near) == ("28.5", "28.4")


def test_transposed_digits_are_a_near_miss():
    (miss,) = missing_anchors(find_anchors("该评测发布于2041年。"), EVIDENCE)

    assert miss.near == "2014"


def test_misspelled_name_has_its_near_miss():
    (miss,) = missing_anchors(find_anchors("该论文由Vasvani提出。"), EVIDENCE)

    assert miss.near == "vaswani"


def test_unrelated_name_has_no_near_miss():
    (miss,) = missing_anchors(find_anchors("该论文由Hinton提出。"), EVIDENCE)

    assert miss.near == ""


def test_edit_distance_stops_above_the_limit():
    assert (edit_distance("kitten", "sitting", 3), edit_distance("abcdef", "uvwxyz", 2)) == (3, 3)
