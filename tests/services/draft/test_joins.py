from services.draft.joins import join_sentences


def test_chinese_sentences_are_joined_without_a_space():
    assert join_sentences(["注意力很重要。", "它取代了循环。"]) == "注意力很重要。它取代了循环。"


def test_an_english_sentence_is_followed_by_a_space_whatever_comes_next():
    assert join_sentences(["It trains fast [文档: a.pdf, page 1].", "注意力很重要。"]) == (
        "It trains fast [文档: a.pdf, page 1]. 注意力很重要。"
    )


def test_a_chinese_sentence_before_an_english_one_needs_no_space():
    assert join_sentences(["注意力很重要。", "Attention matters."]) == "注意力很重要。Attention matters."
