import argparse
import asyncio
import json

from redline.ingest_cmd import add_ingest_command, address
from shared.units import Unit


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="redline")
    add_ingest_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return asyncio.run(args.handler(args))


def test_prints_one_json_line_per_unit_with_the_five_fields(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("# 标题\n\n正文。", encoding="utf-8")
    assert run(["ingest", str(tmp_path / "notes.md")]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line) == {"source": "notes.md", "kind": "text", "address": "text 1", "text": "# 标题\n\n正文。", "method": "markdown/utf-8"}


def test_folder_files_are_named_by_relative_path_and_skips_reported(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("alpha")
    (tmp_path / "clip.flv").write_bytes(b"x")
    assert run(["ingest", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["source"] for line in captured.out.splitlines()] == ["sub/a.txt"]
    assert "skipped: clip.flv: .flv files are not read" in captured.err


def test_a_failed_file_is_reported_and_sets_the_exit_status(tmp_path, capsys):
    (tmp_path / "ok.txt").write_text("fine")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert run(["ingest", str(tmp_path / "ok.txt"), str(tmp_path / "empty.txt")]) == 1
    assert "failed: empty.txt is empty" in capsys.readouterr().err


def test_missing_path_is_an_error(tmp_path, capsys):
    assert run(["ingest", str(tmp_path / "nope.pdf")]) == 1
    assert "nope.pdf does not exist" in capsys.readouterr().err


def test_address_names_title_and_time_window():
    chunk = Unit(source="lc.json", kind="chunk", index=2, text="", method="m", title="Page")
    frame = Unit(source="v.mp4", kind="frame", index=4, text="", method="m", start=12.0, end=3725.5)
    assert address(chunk) == 'chunk 2 "Page"'
    assert address(frame) == "frame 4 00:12.000-1:02:05.500"
