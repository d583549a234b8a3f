"""Reading model replies: preambles stripped, citations canonical and limited to the given units."""

from services.draft.reply import normalise_citations, parse_reply, strip_preamble
from shared.units import Unit

GIVEN = [
    Unit(source="paper.pdf", kind="page", index=2, text="Method.", method="pypdf"),
    Unit(source="paper.pdf", kind="page", index=3, text="Results.", method="pypdf"),
    Unit(source="long_context.json", kind="chunk", index=1, text="网页内容。", method="reference-chunker", title="注意力机制详解"),
]


def test_a_polite_opening_before_the_title_is_dropped():
    assert strip_preamble("Sure! Here is the report you asked for:\n\n《报告》\n\n正文。") == "《报告》\n\n正文。"


def test_a_tool_call_preamble_leaves_nothing():
    reply = 'I\'ll start by reading the paper.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "paper.pdf"}}\n</tool_call>'
    assert strip_preamble(reply) == ""


def test_a_think_block_is_removed():
    assert strip_preamble("<think>plan the sections</think>\n# Report\n\nText.") == "# Report\n\nText."


def test_a_code_fence_around_the_report_is_unwrapped():
    assert strip_preamble("```markdown\n# Report\n\nText.\n```") == "# Report\n\nText."


def test_closing_remarks_are_dropped():
    assert strip_preamble("# Report\n\nText.\n\nLet me know if you need changes.") == "# Report\n\nText."


def test_lines_before_the_title_are_kept_when_they_cite():
    text = "Attention helps. [Doc: paper.pdf, page 2]\n# Later heading"
    assert strip_preamble(text) == text


def test_citations_are_written_in_canonical_form():
    text, findings = normalise_citations("方法如下【Doc：paper.pdf，p.2】。", GIVEN, "zh")
    assert text == "方法如下[文档: paper.pdf, page 2]。"
    assert findings == []


def test_a_citation_to_a_unit_not_given_is_removed_and_recorded():
    text, findings = normalise_citations("Results improved. [Doc: paper.pdf, page 9]", GIVEN, "en")
    assert text == "Results improved."
    assert [(f.check, f.citation) for f in findings] == [("draft.citation_removed", "Doc: paper.pdf, page 9")]


def test_only_the_bad_citation_of_a_bracket_is_removed():
    text, _ = normalise_citations("结果。[文档: paper.pdf, page 3; 文档: other.pdf, page 1]", GIVEN, "zh")
    assert text == "结果。[文档: paper.pdf, page 3]"


def test_a_range_beyond_the_given_units_is_narrowed():
    text, _ = normalise_citations("All of it. [Doc: paper.pdf, page 2-5]", GIVEN, "en")
    assert text == "All of it. [Doc: paper.pdf, page 2; Doc: paper.pdf, page 3]"


def test_a_range_inside_the_given_units_is_kept():
    text, _ = normalise_citations("Both. [Doc: paper.pdf, pages 2-3]", GIVEN, "en")
    assert text == "Both. [Doc: paper.pdf, page 2-3]"


def test_a_web_chunk_citation_is_canonical():
    text, _ = normalise_citations('网页。[long_context: 注意力机制详解, chunk 1]', GIVEN, "zh")
    assert text == '网页。[long_context: "注意力机制详解", chunk 1]'


def test_parse_reply_strips_and_normalises():
    parsed = parse_reply("Here is the report:\n# R\n\nText. [Doc: paper.pdf, page 7]", GIVEN, "en")
    assert parsed.text == "# R\n\nText."
    assert len(parsed.findings) == 1
