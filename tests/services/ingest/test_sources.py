import json

import pytest

from services.ingest.errors import SourceError
from services.ingest.sources import SUPPORTED, ingest_files, read_source
from tests.services.ingest.fixtures import encrypted_pdf, text_pdf

PAGES = json.dumps([{"title": "页面", "page_body": "正文。"}], ensure_ascii=False).encode()


def test_supported_suffixes():
    assert SUPPORTED == {".pdf", ".txt", ".md", ".json"}


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("paper.PDF", text_pdf(["Page one."]), "page"),
        ("notes.txt", b"plain", "text"),
        ("guide.md", b"# Guide", "text"),
        ("long_context.json", PAGES, "chunk"),
    ],
)
def test_read_source_dispatches_by_name(name, data, kind):
    units, _ = read_source(name, data)
    assert units and {u.kind for u in units} == {kind}


def test_zero_byte_file_is_a_source_error():
    with pytest.raises(SourceError, match="empty.pdf is empty"):
        read_source("empty.pdf", b"")


def test_unknown_kind_is_a_source_error():
    with pytest.raises(SourceError, match=r"data.json: \.json files are not read"):
        read_source("data.json", b"{}")


def test_units_of_every_file_are_gathered_with_their_metadata():
    pack = ingest_files({"b.txt": b"bee", "a.pdf": text_pdf(["Page one.", "Page two."])}, "t1")
    assert pack.task_id == "t1"
    assert [(u.source, u.index) for u in pack.units] == [("a.pdf", 1), ("a.pdf", 2), ("b.txt", 1)]
    assert [(m.source, m.kind, m.units) for m in pack.sources] == [("a.pdf", "pdf", 2), ("b.txt", "text", 1)]


def test_a_failed_file_keeps_its_error_and_does_not_stop_the_rest():
    pack = ingest_files({"locked.pdf": encrypted_pdf(), "ok.txt": b"fine"}, "t1")
    [locked] = [m for m in pack.sources if m.source == "locked.pdf"]
    assert "is encrypted" in locked.error and locked.kind == "pdf"
    assert [u.source for u in pack.units] == ["ok.txt"]


def test_unknown_kinds_are_listed_as_skipped():
    pack = ingest_files({"ok.txt": b"fine", "clip.mp4": b"\x00", "README": b"x"}, "t1")
    assert pack.skipped == ["README: files without a suffix are not read", "clip.mp4: .mp4 files are not read"]


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd.txt", "a/../../b.txt", "C:\\x.txt"])
def test_unsafe_names_are_skipped_with_reason(name):
    pack = ingest_files({name: b"text", "ok.txt": b"fine"}, "t1")
    assert len(pack.skipped) == 1 and pack.skipped[0].startswith(f"{name}: ")
    assert [u.source for u in pack.units] == ["ok.txt"]


def test_no_usable_unit_raises_with_every_reason():
    with pytest.raises(SourceError) as caught:
        ingest_files({"empty.txt": b"", "clip.mp4": b"\x00"}, "t1")
    assert "empty.txt is empty" in str(caught.value) and "clip.mp4: .mp4 files are not read" in str(caught.value)


def test_no_files_at_all_raises():
    with pytest.raises(SourceError, match="no files were given"):
        ingest_files({}, "t1")
