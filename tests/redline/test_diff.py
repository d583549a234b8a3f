"""``redline diff``: the changed sentences of a finished task with their reasons."""

from redline.cli import main
from redline.diff import marked, redline_text
from services.compare.summary import build_comparison
from tests.services.compare.pairs import accepted


def test_changes_inside_a_sentence_are_marked():
    assert marked("核查引用很有必要", "逐句核查引用很有必要").plain == "{+逐句+}核查引用很有必要"


def test_a_deletion_and_an_insertion_are_both_marked():
    assert marked("page 9", "page 2").plain == "page [-9-]{+2+}"


def test_the_redline_lists_each_change_with_the_findings_that_caused_it():
    lines = [line.plain for line in redline_text(build_comparison(accepted()))]

    assert lines[0].startswith("v1 → v2: 3 kept (1 re-cited), 1 edited, 1 added, 1 removed; errors 1 → 0 (1 resolved)")
    recited = next(line for line in lines if line.startswith("= re-cited"))
    assert "because citation.unresolved" in recited
    assert [line[:1] for line in lines[1:]] == ["=", "~", "-", "+"]


def test_an_unchanged_report_says_the_first_draft_was_accepted():
    comparison = build_comparison(accepted(final=accepted().original_text, rounds=[], remaining=[]))

    assert redline_text(comparison)[-1].plain == "no sentence changed: the first draft was accepted"


def test_the_command_prints_the_redline_of_an_output_folder(tmp_path, capsys):
    (tmp_path / "findings.json").write_text('{"task_id": "t1"}')
    (tmp_path / "comparison.json").write_text(build_comparison(accepted()).model_dump_json())

    code = main(["diff", str(tmp_path)])

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("v1 → v2:")
    assert "because citation.unresolved" in out
