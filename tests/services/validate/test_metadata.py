"""Check 6: stated title, authors, year, venue and links against the PDF."""

from services.validate.metadata import check_metadata
from shared.units import EvidencePack, SourceMeta, Unit

PAGE_1 = (
    "Published as a conference paper at ICLR 2025\n\nLearning Dynamics of LLM Finetuning\n\n"
    "Yi Ren, Danica J. Sutherland. University of British Columbia."
)
PACK = EvidencePack(
    task_id="t",
    units=[Unit(source="paper.pdf", kind="page", index=1, text=PAGE_1, method="pypdf")],
    sources=[SourceMeta(source="paper.pdf", kind="pdf", pages=1, title="Learning Dynamics of LLM Finetuning")],
)


def checks(text: str, pack: EvidencePack = PACK) -> list[str]:
    return [f.check for f in check_metadata(text, pack)]


def test_correct_statements_give_no_finding():
    text = "论文题目：Learning Dynamics of LLM Finetuning\n作者：Yi Ren、Danica J. Sutherland\n发表于ICLR 2025。\n"

    assert checks(text) == []


def test_wrong_title_is_an_error():
    assert checks("论文题目：Learning Dynamics of Diffusion Model Training\n") == ["metadata.title"]


def test_chinese_rendering_of_the_title_is_not_compared():
    assert checks("论文题目：大语言模型微调的学习动态\n") == []


def test_unknown_author_is_reported_with_the_near_miss():
    (finding,) = check_metadata("作者：Yi Ren、Danica J. Sutherlend\n", PACK)

    assert finding.check == "metadata.authors"
    assert "sutherland" in finding.message


def test_year_and_venue_not_on_the_first_page_are_warnings():
    assert sorted(checks("该论文发表于NeurIPS 2023。\n")) == ["metadata.venue", "metadata.year"]


def test_github_link_called_the_official_site_is_flagged():
    assert checks("论文官网：https://github.com/rentainhe/learning-dynamics\n") == ["metadata.link_kind"]


def test_github_link_called_code_is_fine():
    assert checks("代码仓库：https://github.com/rentainhe/learning-dynamics\n") == []


def test_without_a_pdf_only_links_are_checked():
    assert checks("论文题目：Something Else Entirely Here\n", EvidencePack(task_id="t")) == []


def test_a_venue_in_the_first_page_furniture_counts():
    unit = Unit(source="paper.pdf", kind="page", index=1, text="Attention Is All You Need\n\nAshish Vaswani",
                method="pdfium", furniture="31st Conference on Neural Information Processing Systems (NIPS 2017)")
    pack = EvidencePack(task_id="t", units=[unit], sources=[SourceMeta(source="paper.pdf", kind="pdf", pages=1)])
    assert checks("发表于NIPS 2017。\n", pack) == []
