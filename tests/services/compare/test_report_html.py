import re

from services.compare.report_html import render_report_html, time_window
from services.compare.summary import build_comparison
from shared.events import RoundRecord
from shared.units import Unit
from tests.services.compare.pairs import ORIGINAL, UNRESOLVED, accepted

UNITS = [
    Unit(source="paper.pdf", kind="page", index=i, text=f"Page {i} says something specific.", method="pypdf")
    for i in (1, 2, 3)
] + [
    Unit(
        source="long_context.json",
        kind="chunk",
        index=0,
        text="检索失误导致百分之十四的错误。",
        method="reference-chunker",
        title="RAG入门",
    ),
    Unit(source="talk.mp4", kind="frame", index=2, text="Slide: CiteCheck loop", method="frames", start=72.0, end=78.5),
]
CHART = Unit(source="chart.png", kind="image", index=1, text="柱状图", method="ocr", thumbnail="SlBFRw==")
FRAME = "幻灯片展示了核查循环[talk.mp4, Frame 2]。"


def page(**changes) -> str:
    return render_report_html(build_comparison(accepted(**changes)), UNITS)


def test_page_is_self_contained():
    html = page()

    assert "<script" not in html
    assert "<link" not in html
    assert "url(" not in html
    assert "@import" not in html
    assert set(re.findall(r'src="(.{5})', html)) <= {"data:"}
    assert set(re.findall(r'href="(.)', html)) == {"#"}


def test_every_row_has_an_original_and_a_final_column():
    html = page()

    rows = re.findall(r'<div class="row columns [^"]*">(.*?)</div>\s*(?=<div class="row|\n</section>)', html, re.DOTALL)
    assert len(rows) == 6
    assert all('class="cell original"' in r and 'class="cell final"' in r for r in rows)


def test_edited_sentence_marks_the_inserted_characters():
    html = page()

    assert "<ins>逐句</ins>" in html


def test_removed_and_added_sentences_are_deleted_and_inserted_whole():
    html = page()

    assert re.search(r'<div class="row columns removed">.*?<del>该方法只在英文数据上验证过', html, re.DOTALL)
    assert re.search(r'<div class="row columns added">.*?<ins>检索失误占剩余错误的14%', html, re.DOTALL)


def test_a_recited_sentence_marks_the_old_and_new_citation():
    html = page()

    assert re.search(r'86.9%<del>\[<a class="cite" href="#ev-\d+">文档: paper.pdf, page 9</a>\]</del>。', html)
    assert re.search(r'86.9%<ins>\[<a class="cite" href="#ev-\d+">文档: paper.pdf, page 2</a>\]</ins>。', html)


def test_every_citation_link_has_its_evidence_panel():
    html = page()

    anchors = set(re.findall(r'href="#(ev-\d+)"', html))
    assert anchors
    assert anchors <= set(re.findall(r'<section class="evidence" id="(ev-\d+)"', html))


def test_a_panel_shows_the_text_of_the_cited_page():
    html = page()
    anchor = re.search(r'href="#(ev-\d+)">文档: paper.pdf, page 2<', html).group(1)

    panel = re.search(rf'<section class="evidence" id="{anchor}">(.*?)</section>', html, re.DOTALL).group(1)
    assert "Page 2 says something specific." in panel


def test_a_panel_shows_the_chunk_text_of_a_web_page():
    assert "检索失误导致百分之十四的错误。" in page()


def test_an_unresolved_citation_opens_a_panel_that_says_so():
    html = page()
    anchor = re.search(r'href="#(ev-\d+)">文档: paper.pdf, page 9<', html).group(1)

    assert "该引用未指向任何证据单元。" in re.search(rf'id="{anchor}">(.*?)</section>', html, re.DOTALL).group(1)


def test_a_frame_panel_shows_its_time_window_text_and_thumbnail_place():
    final = accepted().text + FRAME + "\n"
    html = page(final=final)

    assert "01:12–01:18" in html
    assert "Slide: CiteCheck loop" in html
    assert 'class="thumb missing" data-frame="2"' in html


def test_a_thumbnail_is_an_inline_image():
    final = accepted().text + "图表对比了两种方法[图片: chart.png]。\n"
    html = render_report_html(build_comparison(accepted(final=final)), [*UNITS, CHART])

    assert '<img class="thumb" alt="chart.png image 1" src="data:image/jpeg;base64,SlBFRw==">' in html
    assert set(re.findall(r'src="(.{5})', html)) == {"data:"}


def test_a_resolved_finding_is_shown_at_its_original_sentence():
    html = page()

    assert re.search(
        r'引用精确率提高到86.9%.*?<li class="error resolved"><span class="badge">已解决</span><code>citation.unresolved',
        html,
        re.DOTALL,
    )


def test_summary_strip_carries_the_numbers():
    html = page()

    assert re.search(r'data-stat="supported">.*?66.7% → 100.0%', html)
    assert re.search(r'data-stat="preservation">.*?50.0%', html)
    assert 'data-stat="stop_reason"' in html


def test_english_request_gets_english_labels():
    html = page(requirements={"language": "en"})

    assert '<html lang="en">' in html
    assert "<h2>Original</h2><h2>Final</h2>" in html


def test_report_text_is_escaped():
    original = ORIGINAL + "<b>不是标签</b>。\n"
    html = page(original=original)

    assert "&lt;b&gt;不是标签&lt;/b&gt;" in html


def test_time_window_past_an_hour_shows_hours():
    unit = Unit(source="v.mp4", kind="frame", index=1, text="", method="m", start=3725.0)

    assert time_window(unit) == "1:02:05"


def test_a_numbered_heading_renders_as_one_heading():
    text = "## 1. 研究背景\n\n" + ORIGINAL
    html = page(original=text, final=text)

    assert '<div class="h2">1. 研究背景</div>' in html


def test_list_items_render_with_their_markers_and_inline_markdown():
    text = ORIGINAL + "\n1. **第一步**：检索。\n2. 第二步：生成。\n\n- 要点。\n"
    html = page(original=text, final=text)

    assert '<div class="li"><span class="marker">1.</span> <strong>第一步</strong>：检索。</div>' in html
    assert '<span class="marker">2.</span>' in html
    assert '<span class="marker">•</span> 要点。' in html


def test_the_same_problem_named_twice_is_listed_once_with_its_count():
    twice = [UNRESOLVED, UNRESOLVED.model_copy(update={"citation": "[文档: paper.pdf, page 8]"})]
    rounds = [RoundRecord(report_version=1, chars=1, errors=2, warnings=0, findings=twice, verdict="stop")]

    html = page(final=ORIGINAL, rounds=rounds, remaining=twice)

    assert len(re.findall(r'<li class="error open">.*?×2</span></li>', html)) == 1


def test_rounds_are_a_table_of_counts_with_findings_on_demand():
    html = page()

    table = html.split('<table class="rounds">')[1]
    assert "<details><summary>2</summary>" in table
    assert "<script" not in html
    assert html.index('<section class="compare">') < html.index('<table class="rounds">')


def test_a_chinese_page_says_its_findings_in_chinese():
    html = page()

    assert "引用未指向任何证据单元。" in html
    assert "citation.unresolved here." not in html


def test_an_english_page_keeps_the_findings_message():
    assert "citation.unresolved here." in page(requirements={"language": "en"})


def test_the_evidence_panel_marks_the_passage_closest_to_the_citing_sentence():
    unit = Unit(
        source="paper.pdf",
        kind="page",
        index=2,
        text="Our method is new. Citation precision rises from 71.4% to 86.9%. Latency grows.",
        method="pypdf",
    )
    final = accepted().text.replace("引用精确率提高到86.9%", "Citation precision rises to 86.9%")

    html = render_report_html(build_comparison(accepted(final=final)), [unit, *UNITS[2:]])

    assert "<mark>Citation precision rises from 71.4% to 86.9%.</mark>" in html
    assert '<blockquote class="best">Citation precision rises from 71.4% to 86.9%.</blockquote>' in html
