import io

from pypdf import PdfReader

from services.ingest.paper import affiliations, links, venue
from services.ingest.pdf import read_pdf
from tests.services.ingest.fixtures import linked_pdf

ATTENTION = """Provided proper attribution is provided, Google hereby grants permission to
reproduce the tables and figures in this paper solely for use in journalistic or
Attention Is All You Need
Ashish Vaswani∗
Google Brain
avaswani@google.com
Aidan N. Gomez∗ †
University of Toronto
aidan@cs.toronto.edu
Abstract
The dominant sequence transduction models are based on complex recurrent networks.
31st Conference on Neural Information Processing Systems (NIPS 2017), Long Beach, CA, USA.
arXiv:1706.03762v7 [cs.CL] 2 Aug 2023"""

HANSPUB = """E-Commerce Letters 电子商务评论, 2024, 13(3), 4535-4541
Published Online August 2024 in Hans. https://www.hanspub.org/journal/ecl
DOI: 10.12677/ecl.2024.133555
互联网视阈下网络直播平台的法律监管
王 田
贵州大学法学院，贵州 贵阳
摘 要
网络直播作为一种新型的社交媒体模式。"""


def test_a_numbered_conference_with_its_acronym_and_year_is_the_venue():
    assert venue(ATTENTION) == "31st Conference on Neural Information Processing Systems (NIPS 2017)"


def test_a_journal_header_line_is_the_venue():
    assert venue(HANSPUB) == "E-Commerce Letters 电子商务评论, 2024, 13(3), 4535-4541"


def test_the_arxiv_identifier_is_the_venue_when_nothing_else_is_stated():
    assert venue("A Title\nSomeone\narXiv:2305.14627v2 [cs.CL] 31 Oct 2023") == "arXiv:2305.14627v2 [cs.CL]"


def test_no_venue_is_an_empty_answer():
    assert venue("A Title\nSomeone\nAbstract\nText.") == ""


def test_affiliations_are_the_institution_lines_above_the_abstract_without_notices():
    assert affiliations(ATTENTION) == ["Google Brain", "University of Toronto"]


def test_chinese_affiliations_are_found():
    assert affiliations(HANSPUB) == ["贵州大学法学院，贵州 贵阳"]


def test_links_in_the_text_and_dois_are_listed_once_each():
    assert links(HANSPUB + "\nhttps://www.hanspub.org/journal/ecl") == [
        "https://www.hanspub.org/journal/ecl",
        "https://doi.org/10.12677/ecl.2024.133555",
    ]


def test_a_url_broken_at_its_host_is_not_a_link():
    assert links("code at https://github\n.com/princeton-nlp/ALCE") == []


def test_a_link_annotation_on_the_first_page_is_a_link():
    page = PdfReader(io.BytesIO(linked_pdf())).pages[0]

    assert links(page.extract_text(), page) == ["https://github.com/example/cite"]


def test_a_pdf_source_carries_what_its_first_page_states():
    _, meta = read_pdf("paper.pdf", linked_pdf())

    assert (meta.affiliations, meta.links) == (
        ["Department of Computer Science, Example University"],
        ["https://github.com/example/cite"],
    )
