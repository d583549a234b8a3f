import pytest

from bench.hostile import blank_pdf
from services.ingest.errors import SourceError
from services.ingest.limits import IngestLimits
from services.ingest.pdf import clean_page_text, guess_title, read_pdf
from tests.corpus import CORPUS, need
from tests.services.ingest.fixtures import encrypted_pdf, image_only_pdf, scanned_pdf, text_pdf

PAGES = [
    "Grounded Writing With Citations\nAda Lovelace, Alan Turing\nThe benchmark has 1200 questions.",
    "The verifier threshold is 0.62.",
    "Latency grows by 38 percent.",
]


def test_one_unit_per_page_numbered_from_one():
    units, _ = read_pdf("paper.pdf", text_pdf(PAGES))
    assert [(u.kind, u.index, u.method) for u in units] == [("page", 1, "pdfium"), ("page", 2, "pdfium"), ("page", 3, "pdfium")]


def test_each_page_holds_its_own_text():
    units, _ = read_pdf("paper.pdf", text_pdf(PAGES))
    assert "1200 questions" in units[0].text
    assert "0.62" in units[1].text
    assert "0.62" not in units[2].text
    assert "38 percent" in units[2].text


def test_meta_counts_pages_and_reads_metadata():
    _, meta = read_pdf("paper.pdf", text_pdf(PAGES, title="Real Title", author="Ada Lovelace, Alan Turing"))
    assert (meta.kind, meta.pages, meta.units) == ("pdf", 3, 3)
    assert meta.title == "Real Title"
    assert meta.authors == ["Ada Lovelace", "Alan Turing"]


def test_title_is_guessed_from_page_one_without_metadata():
    _, meta = read_pdf("paper.pdf", text_pdf(PAGES))
    assert meta.title == "Grounded Writing With Citations"


def test_guess_skips_licence_lines_and_sentence_fragments():
    first_page = "Provided proper attribution is provided, Google grants permission to\nreproduce the tables.\nAttention Is All You Need\nAshish Vaswani"
    assert guess_title(first_page) == "Attention Is All You Need"


def test_cleanup_joins_hyphenated_line_breaks():
    assert clean_page_text("prone to hal-\nlucination") == "prone to hallucination"


def test_cleanup_joins_lines_and_collapses_spaces_but_keeps_paragraphs():
    assert clean_page_text("one  two\nthree \n \nfour\tfive") == "one two three\n\nfour five"


def test_cleanup_joins_cjk_lines_without_a_space():
    assert clean_page_text("较低的\n准入门槛。") == "较低的准入门槛。"


def test_cleanup_separates_sentences_the_extractor_ran_together():
    assert clean_page_text("runs 4-5 hours apart.A Mathematical Derivations") == (
        "runs 4-5 hours apart. A Mathematical Derivations"
    )


def test_encrypted_pdf_is_refused_with_reason():
    with pytest.raises(SourceError, match=r"locked.pdf is encrypted"):
        read_pdf("locked.pdf", encrypted_pdf())


def test_truncated_pdf_is_not_readable():
    data = text_pdf(PAGES)
    with pytest.raises(SourceError, match=r"broken.pdf is not a readable PDF: "):
        read_pdf("broken.pdf", data[: len(data) // 3])


def test_garbage_bytes_are_not_a_readable_pdf():
    with pytest.raises(SourceError, match="not a readable PDF"):
        read_pdf("fake.pdf", b"hello, I am not a PDF")


def test_image_only_pdf_has_no_text_layer():
    with pytest.raises(SourceError, match=r"scan.pdf has no text layer \(image-only\)"):
        read_pdf("scan.pdf", image_only_pdf())


def test_a_scanned_page_is_read_by_ocr():
    pytest.importorskip("rapidocr")
    units, meta = read_pdf("scan.pdf", scanned_pdf(["Attention is all you need"]))

    assert [(u.index, u.method) for u in units] == [(1, "rapidocr")]
    assert meta.method == "rapidocr"
    assert "attention is all you need" in units[0].text.lower()


def test_only_the_pages_without_text_are_read_by_ocr():
    pytest.importorskip("rapidocr")
    units, _ = read_pdf("mixed.pdf", scanned_pdf([None, "Scaled dot product attention"]))

    assert [(u.index, u.method) for u in units] == [(1, "pdfium"), (2, "rapidocr")]


def test_a_scan_in_which_ocr_finds_no_text_says_so():
    pytest.importorskip("rapidocr")
    with pytest.raises(SourceError, match=r"OCR found no text on its 1 page\(s\)"):
        read_pdf("scan.pdf", image_only_pdf())


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "pages", "phrase"),
    [
        ("ALCE_Gao2023_arXiv2305.14627.pdf", 23, "Enabling Large Language Models to Generate Text with Citations"),
        ("Attention_Is_All_You_Need_arXiv1706.03762v7.pdf", 15, "The dominant sequence transduction models"),
        ("zh_Wang2024_live_streaming_platform_regulation_hanspub_CCBY4.pdf", 7, "网络直播作为一种新型的社交媒体模式"),
    ],
)
def test_corpus_papers_keep_real_page_count_and_text(name, pages, phrase):
    units, meta = read_pdf(name, need(CORPUS / "papers" / name).read_bytes())
    assert meta.pages == pages
    assert [u.index for u in units] == list(range(1, pages + 1))
    assert phrase in units[0].text


@pytest.mark.corpus
def test_chinese_paper_reads_as_real_cjk_sentences():
    name = "zh_Wang2024_live_streaming_platform_regulation_hanspub_CCBY4.pdf"
    units, meta = read_pdf(name, need(CORPUS / "papers" / name).read_bytes())
    assert meta.title == "互联网视阈下网络直播平台的法律监管"
    assert "我国于 2019 年颁布《电子商务法》，这是我国第一部电商领域的专门性、综合性法律。" in units[2].text


def test_replacement_characters_mark_a_page_as_garbled():
    from services.ingest.pdf import is_garbled

    assert is_garbled("电子\ufffd\ufffd商务\ufffd评论" * 3)
    assert is_garbled("(cid:12)(cid:40)(cid:7) text")
    assert not is_garbled("我国于 2019 年颁布《电子商务法》。")


def test_garbled_pdfium_page_is_read_again_with_pypdf(monkeypatch):
    from services.ingest import pdf

    monkeypatch.setattr(pdf, "pdfium_pages", lambda data: ["\ue001\ue002\ue003\ue004", "clean text", "more text"])
    units, meta = pdf.read_pdf("paper.pdf", text_pdf(PAGES))

    assert [u.method for u in units] == ["pypdf", "pdfium", "pdfium"]
    assert meta.method == "pdfium+pypdf"


def test_page_limit_is_checked_before_any_page_is_read():
    with pytest.raises(SourceError, match=r"blank.pdf: page count 30 is over the limit of 20 pages \(set REDLINE_INGEST_MAX_PAGES") as raised:
        read_pdf("blank.pdf", blank_pdf(30), IngestLimits(max_pages=20))
    assert "OCR" not in str(raised.value)


def test_ocr_stops_at_the_deadline_and_names_its_variable():
    pytest.importorskip("rapidocr")
    with pytest.raises(SourceError, match=r"scan.pdf: time reading scanned pages by OCR \(page 1 of 2\) .*REDLINE_INGEST_MAX_SECONDS"):
        read_pdf("scan.pdf", scanned_pdf(["First page", "Second page"]), IngestLimits(max_seconds=1e-9))
