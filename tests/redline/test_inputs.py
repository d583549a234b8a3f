"""A task's folder and request, checked before anything starts."""

import os

import pytest

from redline.inputs import UsageError, read_folder, read_request


def test_a_missing_folder_is_named_with_what_to_do(tmp_path):
    with pytest.raises(UsageError, match=r"nope does not exist: give the folder"):
        read_folder(tmp_path / "nope")


def test_a_file_given_as_the_folder_is_refused(tmp_path):
    (tmp_path / "paper.pdf").write_bytes(b"%PDF")

    with pytest.raises(UsageError, match="is a file, not a folder"):
        read_folder(tmp_path / "paper.pdf")


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(UsageError, match="holds no files"):
        read_folder(tmp_path)


def test_a_folder_without_a_readable_kind_lists_what_it_found(tmp_path):
    (tmp_path / "notes.xyz").write_text("x")

    with pytest.raises(UsageError, match=r"holds no file redline reads \(notes.xyz\); readable kinds: .*\.pdf"):
        read_folder(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_named(tmp_path):
    (tmp_path / "paper.md").write_text("text")
    (tmp_path / "paper.md").chmod(0)

    with pytest.raises(UsageError, match=r"paper.md cannot be read"):
        read_folder(tmp_path)


def test_a_folder_with_one_readable_file_gives_its_files(tmp_path):
    (tmp_path / "notes.xyz").write_text("x")
    (tmp_path / "paper.md").write_text("text")

    assert sorted(read_folder(tmp_path)) == ["notes.xyz", "paper.md"]


def test_an_empty_query_is_refused(tmp_path):
    with pytest.raises(UsageError, match="--query is empty"):
        read_request(tmp_path, "  ", None)


def test_a_missing_request_mentions_the_query_option(tmp_path):
    with pytest.raises(UsageError, match=r'no request for task .*--query "…"'):
        read_request(tmp_path, None, None)


def test_a_missing_query_file_is_named(tmp_path):
    with pytest.raises(UsageError, match=r"absent.jsonl does not exist"):
        read_request(tmp_path, None, tmp_path / "absent.jsonl")


def test_a_malformed_query_file_names_its_line(tmp_path):
    (tmp_path / "query.jsonl").write_text('{"task": "x"\n')

    with pytest.raises(UsageError, match=r"query.jsonl line 1 is not JSON"):
        read_request(tmp_path, None, tmp_path / "query.jsonl")


def test_a_query_file_that_is_not_utf8_is_named(tmp_path):
    (tmp_path / "query.jsonl").write_bytes('{"task": "任务"}'.encode("gbk"))

    with pytest.raises(UsageError, match="is not UTF-8 text"):
        read_request(tmp_path, None, tmp_path / "query.jsonl")


def test_the_matching_line_gives_the_request(tmp_path):
    folder = tmp_path / "005"
    folder.mkdir()
    (tmp_path / "query.jsonl").write_text('{"task": "005", "query": "请撰写报告"}\n', encoding="utf-8")

    assert read_request(folder, None, None) == ("请撰写报告", [])
