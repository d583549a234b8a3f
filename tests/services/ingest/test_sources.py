import json
import sys
import types

import pytest

from services.ingest import sources
from services.ingest.cache import UnitCache
from services.ingest.endpoints import Endpoints
from services.ingest.errors import SourceError
from services.ingest.limits import IngestLimits
from services.ingest.sources import SUPPORTED, ExtraReader, ingest_files, read_source
from shared.units import SourceMeta, Unit
from tests.services.ingest.documents import docx_file, pptx_file, xlsx_file, zip_file
from tests.services.ingest.fixtures import encrypted_pdf, text_pdf

PAGES = json.dumps([{"title": "页面", "page_body": "正文。"}], ensure_ascii=False).encode()


def test_supported_suffixes_cover_documents_media_and_archives():
    for suffix in (".pdf", ".docx", ".pptx", ".xlsx", ".csv", ".html", ".json", ".srt", ".vtt", ".mp4", ".png", ".wav", ".zip", ".tar.gz"):
        assert suffix in SUPPORTED


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("paper.PDF", text_pdf(["Page one."]), "page"),
        ("notes.txt", b"plain", "text"),
        ("guide.md", b"# Guide", "text"),
        ("long_context.json", PAGES, "chunk"),
        ("data.json", b'{"a": 1}', "text"),
        ("page.html", b"<p>hello</p>", "text"),
        ("report.docx", docx_file(), "text"),
        ("deck.pptx", pptx_file(), "slide"),
        ("book.xlsx", xlsx_file(), "sheet"),
        ("table.csv", b"a,b\n1,2\n", "sheet"),
        ("talk.srt", b"1\n00:00:01,000 --> 00:00:02,000\nhi\n", "audio"),
    ],
)
def test_read_source_dispatches_by_name(name, data, kind):
    units, _ = read_source(name, data, cache=None)
    assert units
    assert {u.kind for u in units} == {kind}


def test_zero_byte_file_is_a_source_error():
    with pytest.raises(SourceError, match=r"empty.pdf is empty"):
        read_source("empty.pdf", b"")


def test_unknown_kind_is_a_source_error():
    with pytest.raises(SourceError, match=r"data.xyz: \.xyz files are not read"):
        read_source("data.xyz", b"{}")


def test_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(SourceError, match=r"notes.txt: size .* REDLINE_INGEST_MAX_FILE_BYTES"):
        read_source("notes.txt", b"x" * 100, IngestLimits(max_file_bytes=10), cache=None)


def test_document_over_the_page_limit_is_refused():
    with pytest.raises(SourceError, match=r"paper.pdf: page count 3 is over the limit of 2 pages"):
        read_source("paper.pdf", text_pdf(["a", "b", "c"]), IngestLimits(max_pages=2), cache=None)


def fake_media(monkeypatch, read) -> ExtraReader:
    monkeypatch.setitem(sys.modules, "services.ingest.fake_media", types.SimpleNamespace(read_fake=read))
    reader = ExtraReader("fake_media", "read_fake", "video", "videos")
    monkeypatch.setitem(sources.READERS, ".mp4", reader)
    return reader


def test_missing_extra_module_fails_the_file_with_the_extra_to_install():
    reader = ExtraReader("no_such_reader", "read", "video", "videos")
    with pytest.raises(SourceError, match=r"clip.mp4: install redline\[video\] to read videos"):
        reader("clip.mp4", b"\x00")


def test_missing_package_inside_an_extra_reader_fails_the_file_alike(monkeypatch):
    def read(name, data):
        raise ImportError("No module named 'av'")

    with pytest.raises(SourceError, match=r"install redline\[video\] to read videos \(No module named 'av'\)"):
        fake_media(monkeypatch, read)("clip.mp4", b"\x00")


def frames(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    units = [
        Unit(source=name, kind="frame", index=1, text="Slide A", method="ocr", start=0.0, end=4.0),
        Unit(source=name, kind="frame", index=2, text="Slide B", method="ocr", start=4.0, end=8.0),
    ]
    return units, SourceMeta(source=name, kind="mp4", units=2)


def test_video_over_the_frame_or_length_limit_is_refused(monkeypatch):
    fake_media(monkeypatch, frames)
    with pytest.raises(SourceError, match="frame count 2 is over the limit of 1 frames"):
        read_source("clip.mp4", b"v", IngestLimits(max_frames=1), cache=None)
    with pytest.raises(SourceError, match="length 8 s is over the limit of 5 s"):
        read_source("clip.mp4", b"v", IngestLimits(max_video_seconds=5), cache=None)


def test_video_reader_gets_the_subtitle_file_beside_it_the_limits_the_endpoints_and_the_request_language(monkeypatch):
    seen = {}

    def read(name, data, **context):
        seen.update(context)
        return frames(name, data)

    fake_media(monkeypatch, read)
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nfirst words\n"
    limits = IngestLimits(max_frames=9)
    endpoints = Endpoints(base_url="http://127.0.0.1:9/v1", transcribe_model="whisper-1")
    pack = ingest_files(
        {"talk.mp4": b"v", "talk.srt": srt}, "t1", limits=limits, cache=None, language="zh", endpoints=endpoints
    )
    assert seen == {"subtitles": srt, "limits": limits, "endpoints": endpoints, "language": "zh"}
    assert [u.source for u in pack.units] == ["talk.mp4", "talk.mp4", "talk.srt"]


def test_video_without_subtitle_file_gets_none(monkeypatch):
    seen = {}

    def read(name, data, **context):
        seen.update(context)
        return frames(name, data)

    fake_media(monkeypatch, read)
    ingest_files({"talk.mp4": b"v", "other.srt": b"1\n00:00:01,000 --> 00:00:02,000\nx\n"}, "t1", cache=None)
    assert seen["subtitles"] is None


def test_image_reader_gets_the_request_descriptions_and_they_are_not_added_twice(monkeypatch):
    def read(name, data, endpoints, provided=None):
        text = "\n\n".join(f"Description (provided by the user): {p}" for p in provided or [])
        return [Unit(source=name, kind="image", index=1, text=text, method="rapidocr+user-description")], SourceMeta(source=name, kind="image")

    monkeypatch.setitem(sys.modules, "services.ingest.fake_image", types.SimpleNamespace(read_fake=read))
    monkeypatch.setitem(sources.READERS, ".jpg", ExtraReader("fake_image", "read_fake", "video", "images"))
    multimodal = [{"name": "花.jpg", "type": "image", "description": "水墨画"}]
    pack = ingest_files({"花.jpg": b"img"}, "t1", multimodal=multimodal, cache=None)
    assert [u.text for u in pack.units] == ["Description (provided by the user): 水墨画"]


def test_request_descriptions_are_attached_to_the_described_video(monkeypatch):
    fake_media(monkeypatch, lambda name, data, **context: frames(name, data))
    pack = ingest_files({"talk.mp4": b"v"}, "t1", multimodal=[{"name": "talk.mp4", "type": "video", "description": "规划解读"}], cache=None)
    assert pack.units[0].text.endswith("User-provided description (from the request, not read from the file): 规划解读")


def test_a_different_context_is_a_different_cache_entry(monkeypatch):
    calls = []

    def read(name, data, **context):
        calls.append(context["subtitles"])
        return frames(name, data)

    fake_media(monkeypatch, read)
    cache = UnitCache()
    for subtitles in (b"1\n00:00:01,000 --> 00:00:02,000\na\n", b"1\n00:00:01,000 --> 00:00:02,000\nb\n", b"1\n00:00:01,000 --> 00:00:02,000\na\n"):
        ingest_files({"talk.mp4": b"v", "talk.srt": subtitles}, "t", cache=cache)
    assert len(calls) == 2


def test_same_bytes_are_read_once_and_reused_under_a_new_name(monkeypatch):
    calls = []

    def counting(name, data):
        calls.append(name)
        return [Unit(source=name, kind="text", index=1, text=data.decode(), method="t")], SourceMeta(source=name, kind="text", units=1)

    monkeypatch.setitem(sources.READERS, ".txt", counting)
    cache = UnitCache()
    ingest_files({"a.txt": b"same"}, "t1", cache=cache)
    pack = ingest_files({"b.txt": b"same"}, "t2", cache=cache)
    assert calls == ["a.txt"]
    assert [u.source for u in pack.units] == ["b.txt"]


def test_archive_members_are_read_as_archive_slash_member():
    bundle = zip_file({"paper.pdf": text_pdf(["Inside."]), "notes/a.txt": b"note", "../evil.txt": b"x", "clip.xyz": b"x"})
    pack = ingest_files({"bundle.zip": bundle}, "t1", cache=None)
    assert [(u.source, u.index) for u in pack.units] == [("bundle.zip/notes/a.txt", 1), ("bundle.zip/paper.pdf", 1)]
    assert [(m.source, m.units, m.method) for m in pack.sources if m.kind == "archive"] == [("bundle.zip", 2, "zip, 3 files")]
    assert pack.skipped == ["bundle.zip/../evil.txt: '..' is not allowed in file names", "bundle.zip/clip.xyz: .xyz files are not read"]


def test_unreadable_archive_fails_alone():
    pack = ingest_files({"bad.zip": b"PK\x03\x04 junk", "ok.txt": b"fine"}, "t1", cache=None)
    [bad] = [m for m in pack.sources if m.source == "bad.zip"]
    assert bad.kind == "archive"
    assert "not a readable archive" in bad.error
    assert pack.units[0].source == "ok.txt"


def test_units_of_every_file_are_gathered_with_their_metadata():
    pack = ingest_files({"b.txt": b"bee", "a.pdf": text_pdf(["Page one.", "Page two."])}, "t1", cache=None)
    assert pack.task_id == "t1"
    assert [(u.source, u.index) for u in pack.units] == [("a.pdf", 1), ("a.pdf", 2), ("b.txt", 1)]
    assert [(m.source, m.kind, m.units) for m in pack.sources] == [("a.pdf", "pdf", 2), ("b.txt", "text", 1)]


def test_a_failed_file_keeps_its_error_and_does_not_stop_the_rest():
    pack = ingest_files({"locked.pdf": encrypted_pdf(), "ok.txt": b"fine"}, "t1", cache=None)
    [locked] = [m for m in pack.sources if m.source == "locked.pdf"]
    assert "is encrypted" in locked.error
    assert locked.kind == "pdf"
    assert [u.source for u in pack.units] == ["ok.txt"]


def test_unknown_kinds_are_listed_as_skipped():
    pack = ingest_files({"ok.txt": b"fine", "clip.flv": b"\x00", "README": b"x"}, "t1", cache=None)
    assert pack.skipped == ["README: files without a suffix are not read", "clip.flv: .flv files are not read"]


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd.txt", "a/../../b.txt", "C:\\x.txt"])
def test_unsafe_names_are_skipped_with_reason(name):
    pack = ingest_files({name: b"text", "ok.txt": b"fine"}, "t1", cache=None)
    assert len(pack.skipped) == 1
    assert pack.skipped[0].startswith(f"{name}: ")
    assert [u.source for u in pack.units] == ["ok.txt"]


def test_no_usable_unit_raises_with_every_reason():
    with pytest.raises(SourceError) as caught:
        ingest_files({"empty.txt": b"", "clip.flv": b"\x00"}, "t1", cache=None)
    assert "empty.txt is empty" in str(caught.value)
    assert "clip.flv: .flv files are not read" in str(caught.value)


def test_no_files_at_all_raises():
    with pytest.raises(SourceError, match="no files were given"):
        ingest_files({}, "t1")
