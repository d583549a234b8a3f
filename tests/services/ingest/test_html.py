import pytest

from services.ingest.errors import SourceError
from services.ingest.html import read_html

PAGE = """<!doctype html><html><head><title> Live  Streaming </title>
<link rel="canonical" href="https://example.org/live">
<style>p { color: red }</style><script>var hidden = "script text";</script></head>
<body><nav><a href="/">Home</a><ul><li>Menu item</li></ul></nav>
<div role="navigation">Breadcrumbs</div>
<article><h1>直播监管</h1><p>平台承担<b>审核</b>义务。</p>
<ul><li>first</li><li>second</li></ul>
<table><tr><th>Year</th><th>Cases</th></tr><tr><td>2023</td><td>17</td></tr></table>
<h2>Outlook</h2><p>More<br>lines</p></article>
<aside>Related links</aside><footer>Copyright</footer></body></html>"""


def read(page: str = PAGE):
    return read_html("page.html", page.encode())


def test_headings_become_markdown_headings_with_their_text():
    units, _ = read()
    assert units[0].text.startswith("# 直播监管\n\n平台承担审核义务。")
    assert units[1].text == "## Outlook\n\nMore\n\nlines"


def test_lists_and_table_rows_are_kept_readable():
    units, _ = read()
    assert "- first\n\n- second" in units[0].text
    assert "Year | Cases\n\n2023 | 17" in units[0].text


def test_scripts_styles_navigation_asides_and_footers_are_dropped():
    text = " ".join(u.text for u in read()[0])
    for hidden in ("script text", "color", "Home", "Menu item", "Breadcrumbs", "Related links", "Copyright"):
        assert hidden not in text


def test_title_and_canonical_link_go_to_the_metadata():
    units, meta = read()
    assert (meta.kind, meta.title, meta.links, meta.units) == ("html", "Live Streaming", ["https://example.org/live"], 2)
    assert [(u.kind, u.index, u.method) for u in units] == [("text", 1, "html/utf-8"), ("text", 2, "html/utf-8")]


def test_declared_charset_is_used():
    data = '<html><head><meta charset="gbk"></head><body><p>网络直播平台</p></body></html>'.encode("gbk")
    units, _ = read_html("gbk.html", data)
    assert units[0].text == "网络直播平台"
    assert units[0].method == "html/gbk"


def test_title_falls_back_to_the_first_heading():
    assert read("<h2>Only heading</h2><p>x</p>")[1].title == "Only heading"


def test_page_with_only_scripts_is_a_source_error():
    with pytest.raises(SourceError, match=r"page.html has no readable text"):
        read("<script>x()</script><nav>menu</nav>")
