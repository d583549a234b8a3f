import pytest

from services.ingest.furniture import split_pages
from services.ingest.pdf import read_pdf
from tests.corpus import CORPUS, need
from tests.services.ingest.fixtures import paper_pdf

PAPERS = CORPUS / "papers"


@pytest.fixture(scope="module")
def paper():
    units, _ = read_pdf("paper.pdf", paper_pdf())
    return {unit.index: unit for unit in units}


def test_running_headers_and_footers_leave_the_text(paper):
    assert all("Journal of Tests" not in unit.text and "of 5" not in unit.text for unit in paper.values())
    assert all("Journal of Tests, Vol. 3" in unit.furniture and "Page" in unit.furniture for unit in paper.values())


def test_doi_licence_and_contribution_lines_are_furniture(paper):
    first = paper[1]
    assert "DOI: 10.1234/tests.2024.001" in first.furniture
    assert "10.1234" not in first.text
    assert "Creative Commons" in first.furniture
    assert "Creative Commons" not in first.text
    assert "Equal contribution" in first.furniture
    assert "Example Lab" not in first.text
    assert first.text == "Retrieval helps small models answer questions. We study how citations change the answers."


def test_the_reference_list_is_kept_apart_over_its_pages(paper):
    assert paper[4].text == "We conclude that retrieval is worth its cost."
    assert "[1] A. Author. Retrieval for all. 2021." in paper[4].references
    assert "[4] D. Author. Small models. 2020." in paper[5].references


def test_an_appendix_heading_ends_the_reference_list(paper):
    assert paper[5].text.startswith("A Additional Results The appendix repeats")
    assert "appendix" not in paper[5].references


def test_a_line_repeated_in_the_middle_of_pages_is_body():
    pages = [f"Header\nOne {n}.\nTwo {n}.\nThe same sentence.\nThree {n}.\nFour {n}.\nEnd {n}." for n in range(5)]
    assert all("The same sentence." in part.body for part in split_pages(pages))


def test_a_page_of_only_references_is_kept_for_citations(paper):
    units, _ = read_pdf("paper.pdf", paper_pdf())
    assert [unit.index for unit in units] == [1, 2, 3, 4, 5]


@pytest.mark.corpus
def test_the_transformer_paper_keeps_its_notes_and_page_numbers_out_of_the_text():
    units, _ = read_pdf("attention.pdf", need(PAPERS / "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf").read_bytes())
    first, second = units[0], units[1]
    assert "grants permission" in first.furniture
    assert "grants permission" not in first.text
    assert "Equal contribution" in first.furniture
    assert "Listing order is random" not in first.text
    assert "arXiv:1706.03762v7" in first.furniture
    assert second.furniture == "2"
    assert "Attention Is All You Need" in first.text
    assert "Abstract" in first.text


@pytest.mark.corpus
def test_the_transformer_paper_reference_list_spans_pages_10_to_12():
    units, _ = read_pdf("attention.pdf", need(PAPERS / "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf").read_bytes())
    pages = {unit.index: unit for unit in units}
    assert pages[10].references.startswith("References [1] Jimmy Lei Ba")
    assert pages[11].text == pages[12].text == ""
    assert "[40]" in pages[12].references
    assert pages[13].references == ""
    assert "Attention Visualizations" in pages[13].text


@pytest.mark.corpus
def test_the_chinese_paper_running_header_doi_and_licence_are_furniture():
    units, _ = read_pdf("zh.pdf", need(PAPERS / "zh_Wang2024_live_streaming_platform_regulation_hanspub_CCBY4.pdf").read_bytes())
    assert all("10.12677" not in unit.text and "DOI: 10.12677/ecl.2024.133555" in unit.furniture for unit in units)
    assert "Creative Commons" in units[1].furniture
    assert "Creative Commons" not in units[1].text
    assert "参考文献" in units[-1].references
    assert "[7] 陈家林" in units[-1].references


@pytest.mark.corpus
def test_the_alce_paper_reference_list_runs_to_its_appendix():
    units, _ = read_pdf("alce.pdf", need(PAPERS / "ALCE_Gao2023_arXiv2305.14627.pdf").read_bytes())
    pages = {unit.index: unit for unit in units}
    assert [n for n, unit in pages.items() if unit.references] == [11, 12, 13]
    assert pages[14].text.startswith("A Generating Claims for ELI5")


def test_a_body_sentence_about_a_dataset_licence_stays_body():
    page = "Intro line one.\nIntro line two.\nIntro line three.\nThe dataset is released under the MIT license.\nMore.\nEnd.\nLast."
    assert "The dataset is released under the MIT license." in split_pages([page])[0].body
