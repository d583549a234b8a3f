from services.compare.final_html import render_final_html

REPORT = "《报告》\n\n## 一、背景\n\n精确率提高到**86.9%**[文档: a.pdf, page 3]。\n\n- 甲\n- 乙\n\n| 指标 | 数值 |\n|---|---|\n| 召回率 | 78.2% |\n"


def test_blocks_become_html_elements():
    html = render_final_html(REPORT, "报告", "zh")

    assert "<h2>一、背景</h2>" in html
    assert "<ul><li>甲</li><li>乙</li></ul>" in html
    assert (
        "<thead><tr><th>指标</th><th>数值</th></tr></thead><tbody><tr><td>召回率</td><td>78.2%</td></tr></tbody>"
        in html
    )


def test_citations_stay_as_written_and_bold_is_strong():
    html = render_final_html(REPORT, "报告", "zh")

    assert '精确率提高到<strong>86.9%</strong><span class="cite">[文档: a.pdf, page 3]</span>。' in html


def test_page_is_self_contained_with_title_and_language():
    html = render_final_html("Text & <more>.", "A & B", "en")

    assert '<html lang="en">' in html
    assert "<title>A &amp; B</title>" in html
    assert "Text &amp; &lt;more&gt;." in html
    assert "<script" not in html
    assert "http:" not in html
    assert "https:" not in html


def test_page_carries_a_policy_that_forbids_scripts():
    html = render_final_html("Text.", "T", "en")

    assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';" in html
