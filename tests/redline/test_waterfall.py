"""Waterfall: start order, depth indentation, service/round/duration/tokens columns, bars on one axis."""

from __future__ import annotations

from redline.waterfall import render_waterfall, select_task
from shared.tracefile import SpanRow

MS = 1_000_000
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def row(span: str, parent: str, name: str, service: str, start_ms: int, end_ms: int, **attributes) -> SpanRow:
    return SpanRow(TRACE, span * 16, parent * 16 if parent else "", name, service, start_ms * MS, end_ms * MS, attributes)


ROWS = [
    row("c", "b", "chat model", "redline-draft", 150, 900, **{"gen_ai.usage.input_tokens": 2048, "gen_ai.usage.output_tokens": 512}),
    row("a", "", "ingest task.submitted", "redline-ingest", 0, 100, **{"redline.round": 0, "redline.task_id": "T1"}),
    row("d", "a", "validate report.drafted", "redline-validate", 1000, 2000, **{"redline.round": 1}),
    row("b", "a", "draft evidence.ready", "redline-draft", 100, 1000, **{"redline.round": 1}),
]


def body(text: str) -> list[str]:
    return text.splitlines()[2:]


def test_lines_are_in_start_order():
    lines = body(render_waterfall(ROWS))
    assert [line.split()[0] for line in lines] == ["ingest", "draft", "chat", "validate"]


def test_children_are_indented_by_depth():
    lines = body(render_waterfall(ROWS))
    assert lines[0].startswith("ingest")
    assert lines[1].startswith("  draft")
    assert lines[2].startswith("    chat model")


def test_columns_show_service_round_duration_and_tokens():
    draft, chat = body(render_waterfall(ROWS))[1:3]
    assert "redline-draft" in draft
    assert " 1 " in draft
    assert "900.0 ms" in draft
    assert "2048/512" in chat
    assert "750.0 ms" in chat


def test_header_sums_tokens_and_duration():
    header = render_waterfall(ROWS).splitlines()[0]
    assert TRACE in header
    assert "4 spans" in header
    assert "2000.0 ms" in header
    assert "2048 in / 512 out" in header


def test_bars_share_one_time_axis():
    lines = body(render_waterfall(ROWS, width=100))
    bars = [line[line.index("|") + 1 : line.rindex("|")] for line in lines]
    assert len({len(bar) for bar in bars}) == 1
    ingest, validate = bars[0], bars[3]
    assert ingest.startswith("█")
    assert not ingest.endswith("█")
    assert validate.endswith("█")
    assert validate.startswith(" ")
    assert validate.index("█") >= len(validate) // 2 - 1


def test_lines_fit_the_width():
    assert max(len(line) for line in render_waterfall(ROWS, width=100).splitlines()[1:]) <= 100


def test_a_span_too_short_to_see_still_gets_one_cell():
    rows = [row("a", "", "long", "s", 0, 1000), row("b", "a", "blip", "s", 500, 500)]
    blip = body(render_waterfall(rows))[1]
    assert blip[blip.index("|") :].count("█") == 1


def test_orphan_spans_render_at_depth_zero():
    rows = [row("b", "z", "orphan", "s", 0, 10)]
    assert body(render_waterfall(rows))[0].startswith("orphan")


def test_no_spans_says_so():
    assert render_waterfall([]) == "no spans\n"


def test_select_task_keeps_whole_traces_of_the_task():
    other = SpanRow("f" * 32, "e" * 16, "", "other", "s", 0, 1, {"redline.task_id": "T2"})
    assert {r.name for r in select_task([*ROWS, other], "T1")} == {r.name for r in ROWS}
