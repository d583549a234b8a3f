"""The ``redline`` command on an embedded server: one exit status per ending, bad input refused."""

import json
import os

import pytest

from redline import exits
from redline.cli import build_parser, fail, main, use_model_options
from redline.example import write_example

LONG_QUERY = "请撰写《检索增强生成调研报告》，字数在20000至30000字。"


def last_line(capsys) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.nats
def test_a_clean_run_exits_zero_and_says_no_errors_remain(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = write_example(tmp_path / "example")

    code = main(["run", str(folder), "--out", str(tmp_path / "out")])

    assert code == exits.CLEAN
    assert json.loads((tmp_path / "out" / "findings.json").read_text())["errors_remaining"] == 0
    assert "done: no errors in the accepted report" in last_line(capsys)


@pytest.mark.nats
def test_a_folder_with_a_chinese_name_runs_and_is_named_in_the_progress(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = write_example(tmp_path / "中文 任务")

    code = main(["run", str(folder), "--out", str(tmp_path / "out")])

    assert code == exits.CLEAN
    assert "中文 任务 (task-" in capsys.readouterr().err


@pytest.mark.nats
def test_errors_left_in_the_accepted_report_exit_one_and_say_where_to_read_them(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = write_example(tmp_path / "example")
    out = tmp_path / "out"

    code = main(["run", str(folder), "--query", LONG_QUERY, "--max-rounds", "0", "--out", str(out)])

    errors = json.loads((out / "findings.json").read_text())["errors_remaining"]
    line = last_line(capsys)
    assert code == exits.ERRORS
    assert errors > 0
    assert f"finished with {errors} errors left" in line
    assert str(out / "report.html") in line


@pytest.mark.nats
def test_a_failed_task_exits_three_with_a_one_line_reason(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "paper.pdf").write_bytes(b"%PDF-1.7 truncated")

    code = main(["run", str(folder), "--query", "请撰写《报告》，字数在800至1200字。", "--out", str(tmp_path / "out")])

    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert code == exits.FAILED
    assert last.startswith("redline: task broken-")
    assert "failed at ingest" in last
    assert "paper.pdf" in last
    assert all(line.startswith(("redline: ", "  ")) for line in err.splitlines()), err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing", "does not exist: give the folder"),
        (lambda root: root, "holds no files"),
    ],
)
def test_bad_folders_exit_two_with_one_line(tmp_path, capsys, make, message):
    code = main(["run", str(make(tmp_path)), "--query", "请撰写报告"])

    err = capsys.readouterr().err
    assert code == exits.USAGE
    assert err.count("\n") == 1
    assert err.startswith("redline: ")
    assert message in err


def test_a_folder_without_a_request_names_the_query_option(tmp_path, capsys):
    (tmp_path / "paper.md").write_text("text")

    code = main(["run", str(tmp_path)])

    err = capsys.readouterr().err
    assert code == exits.USAGE
    assert "--query" in err
    assert "Traceback" not in err


def test_a_malformed_query_file_exits_two(tmp_path, capsys):
    (tmp_path / "paper.md").write_text("text")
    (tmp_path / "query.jsonl").write_text("{not json\n")

    code = main(["run", str(tmp_path), "--query-file", str(tmp_path / "query.jsonl")])

    assert code == exits.USAGE
    assert "query.jsonl line 1 is not JSON" in capsys.readouterr().err


def test_version_prints_the_version(capsys):
    with pytest.raises(SystemExit) as ended:
        main(["--version"])

    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith("redline ")


def test_a_mistyped_option_shows_the_commands_usage_and_the_closest_option(tmp_path, capsys):
    with pytest.raises(SystemExit) as ended:
        main(["run", str(tmp_path), "--qurey", "x"])

    err = capsys.readouterr().err
    assert ended.value.code == exits.USAGE
    assert err.startswith("usage: redline run")
    assert "did you mean --query?" in err


def test_a_mistyped_command_suggests_the_closest_command(capsys):
    with pytest.raises(SystemExit) as ended:
        main(["rnu", "folder"])

    assert ended.value.code == exits.USAGE
    assert "did you mean run?" in capsys.readouterr().err


def test_model_options_set_the_draft_services_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("REDLINE_DRAFT_MODEL", "")
    monkeypatch.setenv("REDLINE_DRAFT_BASE_URL", "")
    args = build_parser().parse_args(["run", "f", "--model", "qwen", "--base-url", "http://127.0.0.1:1/v1"])

    use_model_options(args)

    assert (os.environ["REDLINE_DRAFT_MODEL"], os.environ["REDLINE_DRAFT_BASE_URL"]) == (
        "qwen",
        "http://127.0.0.1:1/v1",
    )


def test_deployment_commands_need_a_nats_url(monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)

    with pytest.raises(SystemExit, match="set NATS_URL"):
        main(["status", "some-task"])


@pytest.mark.nats
def test_verbose_writes_the_structured_log_lines_to_stderr(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NATS_URL", raising=False)
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "paper.pdf").write_bytes(b"%PDF-1.7 truncated")

    main(["run", str(folder), "--query", "请撰写《报告》。", "--out", str(tmp_path / "out"), "--verbose"])

    logged = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert any(entry["event"] == "task failed" for entry in logged)


def test_a_failed_command_prints_its_reason_with_secrets_redacted(capsys):
    assert fail("cannot reach https://user:marker-secret-77@models.example/v1") == exits.ERRORS

    assert capsys.readouterr().err == "redline: cannot reach https://user:***@models.example/v1\n"
