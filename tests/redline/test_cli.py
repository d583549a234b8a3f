"""The ``redline`` command on an embedded server."""

import json

import pytest

from redline.cli import main
from redline.example import write_example

pytestmark = pytest.mark.nats


def test_run_writes_outputs_and_exits_zero(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = write_example(tmp_path / "example")

    code = main(["run", str(folder), "--out", str(tmp_path / "out")])

    assert code == 0
    assert json.loads((tmp_path / "out" / "findings.json").read_text())["stop_reason"]
    assert "done; outputs in" in capsys.readouterr().err


def test_a_folder_with_a_chinese_name_runs_and_is_named_in_the_progress(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = write_example(tmp_path / "中文 任务")

    main(["run", str(folder), "--out", str(tmp_path / "out")])

    assert json.loads((tmp_path / "out" / "findings.json").read_text())["stop_reason"]
    assert "中文 任务 (task-" in capsys.readouterr().err


def test_failed_task_exits_nonzero_with_a_one_line_reason(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "paper.pdf").write_bytes(b"%PDF-1.7 truncated")

    code = main(["run", str(folder), "--query", "请撰写《报告》，字数在800至1200字。", "--out", str(tmp_path / "out")])

    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 1
    assert last.startswith("redline: task broken-") and "failed at ingest" in last and "paper.pdf" in last


def test_missing_request_is_a_clear_error(tmp_path, capsys):
    folder = tmp_path / "no-query"
    folder.mkdir()

    code = main(["run", str(folder)])

    assert code == 1
    assert capsys.readouterr().err.startswith("redline: ")


def test_deployment_commands_need_a_nats_url(monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)

    with pytest.raises(SystemExit, match="set NATS_URL"):
        main(["status", "some-task"])
