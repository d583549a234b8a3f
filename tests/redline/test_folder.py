import json
from pathlib import Path

import pytest

from redline.folder import collect_files, find_query
from services.ingest.errors import SourceError


def write_lines(path: Path, entries: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return path


def test_collects_every_file_recursively_by_relative_name(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.pdf").write_bytes(b"A")
    (tmp_path / "sub" / "b.txt").write_bytes(b"B")
    assert collect_files(tmp_path) == {"a.pdf": b"A", "sub/b.txt": b"B"}


def test_hidden_files_and_the_query_file_are_left_out(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_bytes(b"x")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / "query.jsonl").write_bytes(b"{}")
    (tmp_path / "a.txt").write_bytes(b"A")
    assert list(collect_files(tmp_path)) == ["a.txt"]


def test_query_in_the_folder_matches_the_folder_name(tmp_path):
    folder = tmp_path / "005"
    folder.mkdir()
    write_lines(folder / "query.jsonl", [{"task": "004", "query": "no"}, {"task": "005", "query": "写报告", "multimodal": [{"name": "v.mp4"}]}])
    assert find_query(folder) == ("写报告", [{"name": "v.mp4"}])


def test_query_in_the_parent_is_found_by_number(tmp_path):
    folder = tmp_path / "7"
    folder.mkdir()
    write_lines(tmp_path / "query.jsonl", [{"number": 7, "query": "请写"}])
    assert find_query(folder) == ("请写", [])


def test_a_given_query_file_is_used(tmp_path):
    given = write_lines(tmp_path / "elsewhere.jsonl", [{"task": "t", "query": "q"}])
    (tmp_path / "t").mkdir()
    assert find_query(tmp_path / "t", given) == ("q", [])


def test_no_matching_line_is_a_clear_error(tmp_path):
    folder = tmp_path / "009"
    folder.mkdir()
    write_lines(folder / "query.jsonl", [{"task": "005", "query": "q"}])
    with pytest.raises(SourceError, match="no request for task '009'"):
        find_query(folder)


def test_no_query_file_anywhere_is_a_clear_error(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(SourceError, match=r"no query.jsonl in the folder or its parent"):
        find_query(tmp_path / "x")


def test_macos_metadata_folders_are_left_out(tmp_path):
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "a.txt").write_bytes(b"x")
    (tmp_path / "a.txt").write_bytes(b"A")
    assert list(collect_files(tmp_path)) == ["a.txt"]


def test_a_matching_line_without_query_is_a_clear_error(tmp_path):
    folder = tmp_path / "003"
    folder.mkdir()
    write_lines(folder / "query.jsonl", [{"task": "003", "query": "  "}])
    with pytest.raises(SourceError, match=r"query.jsonl line 1 \(task '003'\) has no \"query\""):
        find_query(folder)
