"""One set of numbers: the progress lines, findings.json, comparison.json, comparison.md and
report.html of one run of the example report the same sentence and error figures."""

import io
import json
import re
import sys

import pytest

from redline.cli import main
from redline.example import write_example
from services.compare.summary import describe_counts, describe_errors

pytestmark = pytest.mark.nats


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The example run once: its progress lines and its output folder."""
    root = tmp_path_factory.mktemp("numbers")
    folder, out = write_example(root / "example"), root / "out"
    capture = pytest.MonkeyPatch()
    capture.delenv("NATS_URL", raising=False)
    err = io.StringIO()
    capture.setattr(sys, "stderr", err)
    try:
        main(["run", str(folder), "--out", str(out)])
    finally:
        capture.undo()
    return err.getvalue().splitlines(), out


def test_the_example_needs_a_revision(run):
    lines, _ = run

    assert any(line.strip().startswith("revise") for line in lines)


def test_progress_lines_and_output_files_report_the_same_numbers(run):
    lines, out = run
    numbers = json.loads((out / "comparison.json").read_text())["numbers"]
    changes, errors = describe_counts(numbers), describe_errors(numbers)

    assert json.loads((out / "findings.json").read_text())["numbers"] == numbers
    compare = next(line for line in lines if line.strip().startswith("compare"))
    assert changes in compare
    assert errors in compare
    revise = next(line for line in lines if line.strip().startswith("revise"))
    assert changes in revise
    markdown = (out / "comparison.md").read_text()
    assert f"Sentences: {changes}." in markdown
    assert errors in markdown


def test_report_html_shows_the_same_numbers(run):
    _, out = run
    numbers = json.loads((out / "comparison.json").read_text())["numbers"]
    page = (out / "report.html").read_text()

    errors = re.search(r'data-stat="errors">.*?<span class="value">(\d+) → (\d+)</span>.*?已解决 (\d+)', page)
    assert errors.groups() == tuple(str(numbers[k]) for k in ("errors_before", "remaining", "resolved"))
    sentences = re.search(r'data-stat="sentences">.*?保留 (\d+) · 修改 (\d+) · 新增 (\d+) · 删除 (\d+) · 改引 (\d+)', page)
    assert sentences.groups() == tuple(str(numbers[k]) for k in ("kept", "edited", "added", "removed", "recited"))
