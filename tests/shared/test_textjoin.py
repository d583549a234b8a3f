from shared.textjoin import join_text, separate_run_ons


def test_latin_pieces_meet_with_one_space():
    assert join_text(["The model is small.", "  It runs on a laptop. "]) == "The model is small. It runs on a laptop."


def test_chinese_pieces_meet_without_a_space():
    assert join_text(["模型很小。", "它能在笔记本上运行。"]) == "模型很小。它能在笔记本上运行。"


def test_a_latin_word_beside_chinese_meets_it_without_a_space():
    assert join_text(["我们使用", "BERT", "模型"]) == "我们使用BERT模型"


def test_a_hyphenated_line_break_is_mended():
    assert join_text(["retrieval-augmented infor-", "mation access"]) == "retrieval-augmented information access"


def test_a_hyphen_before_a_capital_is_kept():
    assert join_text(["pre-", "Transformer models"]) == "pre- Transformer models"


def test_empty_pieces_are_dropped():
    assert join_text(["", "  ", "One.", "", "Two."]) == "One. Two."


def test_sentences_run_together_inside_a_piece_are_separated():
    assert join_text(["University of Washington.RoBERTa reaches 88.5."]) == (
        "University of Washington. RoBERTa reaches 88.5."
    )


def test_names_with_dots_are_left_alone():
    text = "See arXiv.org, e.g.Fig.3 in report.pdf and the U.S.Army data."
    assert separate_run_ons(text) == text


def test_a_citation_title_is_left_as_written():
    text = 'Prices rose.[long_context: "Sales report.Spring edition", chunk 2] Then they fell.'
    assert separate_run_ons(text) == text


def test_an_english_sentence_is_followed_by_a_space_even_before_chinese():
    assert join_text(["It trains fast [文档: a.pdf, page 1].", "注意力很重要。"]) == (
        "It trains fast [文档: a.pdf, page 1]. 注意力很重要。"
    )

