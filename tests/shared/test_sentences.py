import pytest

from shared.sentences import split_sentences


def test_chinese_sentences_end_at_full_width_marks():
    assert split_sentences("模型很大。它有效吗？有效！分两步；完成。") == ["模型很大。", "它有效吗？", "有效！", "分两步；", "完成。"]


def test_english_sentences_end_at_marks_followed_by_space():
    assert split_sentences("It works. Does it scale? Yes! Done.") == ["It works.", "Does it scale?", "Yes!", "Done."]


def test_decimals_do_not_end_a_sentence():
    assert split_sentences("Training took 3.5 days. It reached 28.4 BLEU.") == ["Training took 3.5 days.", "It reached 28.4 BLEU."]


@pytest.mark.parametrize("text", ["We use e.g. BLEU here.", "Vaswani et al. proposed it.", "See Fig. 2 for details.", "By J. Smith today."])
def test_abbreviations_do_not_end_a_sentence(text):
    assert split_sentences(text) == [text]


def test_citation_inside_a_sentence_stays_with_it():
    assert split_sentences("模型很大[文档: a.pdf, page 2]。下一句。") == ["模型很大[文档: a.pdf, page 2]。", "下一句。"]


def test_trailing_citation_after_the_end_mark_stays_with_its_sentence():
    assert split_sentences("It works. [Doc: a.pdf, page 1] Next one.") == ["It works. [Doc: a.pdf, page 1]", "Next one."]


def test_end_marks_inside_a_citation_bracket_do_not_split():
    text = '注意力很重要[long_context: "什么是注意力？详解。", chunk 2]。'
    assert split_sentences(text) == [text]


def test_closing_quotes_stay_with_their_sentence():
    assert split_sentences("他说：“好。”然后离开。") == ["他说：“好。”", "然后离开。"]


def test_line_breaks_end_sentences():
    assert split_sentences("## 引言\n第一句\n\n第二句。") == ["## 引言", "第一句", "第二句。"]


def test_list_marker_does_not_end_a_sentence():
    assert split_sentences("1. First item here.") == ["1. First item here."]


def test_full_stop_between_a_digit_and_chinese_does_not_split():
    assert split_sentences("1.论文选择标准很重要。") == ["1.论文选择标准很重要。"]


def test_full_stop_before_a_chinese_character_splits():
    assert split_sentences("It uses GPT.模型很强。") == ["It uses GPT.", "模型很强。"]


def test_markdown_link_after_a_sentence_starts_a_new_one():
    assert split_sentences("Done. [link](http://a.b) here.") == ["Done.", "[link](http://a.b) here."]


def test_empty_text_has_no_sentences():
    assert split_sentences("  \n\n ") == []


def test_a_numbered_heading_is_one_sentence():
    assert split_sentences("## 1. 研究背景\n正文。") == ["## 1. 研究背景", "正文。"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("with fifty thousand subword units.Speech: RoBERTa uses it.", ["with fifty thousand subword units.", "Speech: RoBERTa uses it."]),
        ("Four hours apart.A Mathematical Derivations", ["Four hours apart.", "A Mathematical Derivations"]),
        ("It was released in 2019.The model grew.", ["It was released in 2019.", "The model grew."]),
    ],
)
def test_a_word_run_into_a_capitalised_word_splits(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Models, e.g.BERT, help.",
        "The U.S.Army won.",
        "Accuracy rose 3.5 points.",
        "See arXiv.org for the paper.",
        "As in Fig.3 shown.",
        "Open report.pdf.pdf first.",
        "Vaswani et al.Transformer is new.",
        "Visit www.Example.com today.",
    ],
)
def test_dots_inside_names_numbers_and_abbreviations_do_not_split(text):
    assert split_sentences(text) == [text]
