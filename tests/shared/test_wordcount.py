import pytest

from shared.wordcount import CONVENTION, count_words, count_zi


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("大模型", 3),  # 3 ideographs
        ("你好，世界。", 6),  # 4 ideographs + ， 。
        ("“注意力”（Attention）《论文》【注】、", 16),  # 注意力论文注 6 + “”（）《》【】、 9 + Attention 1
        ("破折号——省略号……", 10),  # 6 ideographs + 2 dashes + 2 ellipses
        ("齐白石·花鸟", 6),  # 5 ideographs + ·
        ("GPT-4 和 3.5 版本。", 6),  # GPT-4, 3.5 + 和版本 3 + 。
        ("state-of-the-art model", 2),
        ("don't 1,000 v1.2.3", 3),
        ("1200–1500 字", 3),  # two numbers (en dash is not counted) + 字
        ("50% 的人", 3),  # 50 + 的人
        ("ＧＰＴ４", 1),  # full-width letters and digits form one token
        ("二〇二五年", 5),  # 〇 is in the CJK symbols block
    ],
)
def test_count_zi_counts_ideographs_punctuation_and_latin_tokens(text, expected):
    assert count_zi(text) == expected


def test_markdown_syntax_and_whitespace_do_not_count():
    text = "## 一、引言\n\n- **要点**：正文\n> 引用\n\n| 列 | 值 |\n|---|---|\n"

    assert count_zi(text) == 13  # 一、引言 4 + 要点：正文 5 + 引用 2 + 列 值 2


def test_link_targets_do_not_count():
    assert count_zi("见[官网](https://example.org/a-b)。") == 4  # 见 官 网 。


def test_html_markup_does_not_count():
    assert count_zi("<style>p {color: red}</style><p class='x'>你好&nbsp;world</p>") == 3


def test_citations_are_left_out_by_default():
    assert count_zi("结论成立 [文档: a.pdf, page 3]。") == 5  # 结论成立 4 + 。


def test_citations_count_when_asked():
    assert count_zi("结论成立 [文档: a.pdf, page 3]。", include_citations=True) == 10  # + 文档 2, a.pdf, page, 3


def test_count_words_counts_latin_tokens_and_each_cjk_character():
    text = "The GPT-4 model, released in 2023, scored 86.4% [Doc: a.pdf, page 3] 很好"

    assert count_words(text) == 14  # 8 words before the bracket + Doc a.pdf page 3 + 很 好


def test_convention_names_what_counts():
    assert all(term in CONVENTION for term in ("字数", "CJK", "punctuation", "Latin", "citation"))
