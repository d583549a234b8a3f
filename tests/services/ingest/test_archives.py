import io
import zipfile

import pytest

from services.ingest.archives import is_archive, unpack
from services.ingest.errors import SourceError
from services.ingest.limits import IngestLimits
from tests.services.ingest.documents import tar_gz_file, zip_file

LIMITS = IngestLimits()


def test_archive_names_are_recognised_by_suffix():
    assert all(is_archive(n) for n in ("a.zip", "b.TAR.GZ", "c.tgz", "d.tar.xz", "e.tar"))
    assert not is_archive("a.gz")
    assert not is_archive("zip.txt")


def test_zip_members_are_read_by_their_inner_names():
    unpacked = unpack("bundle.zip", zip_file({"a.txt": b"A", "docs/b.md": b"# B"}), LIMITS)
    assert unpacked.members == {"a.txt": b"A", "docs/b.md": b"# B"}
    assert unpacked.method == "zip"


def test_tar_gz_members_are_read():
    unpacked = unpack("bundle.tar.gz", tar_gz_file({"a.txt": b"A"}), LIMITS)
    assert unpacked.members == {"a.txt": b"A"}
    assert unpacked.method == "tar"


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/passwd.txt", "x/../../evil.txt"])
def test_path_traversal_members_are_left_out_with_reason(member):
    unpacked = unpack("bundle.zip", zip_file({member: b"bad", "ok.txt": b"ok"}), LIMITS)
    assert list(unpacked.members) == ["ok.txt"]
    assert len(unpacked.skipped) == 1
    assert unpacked.skipped[0].startswith(f"bundle.zip/{member}: ")


def test_hidden_and_macos_metadata_members_are_dropped_silently():
    unpacked = unpack("b.zip", zip_file({"__MACOSX/._a.txt": b"x", ".DS_Store": b"x", "a.txt": b"A"}), LIMITS)
    assert list(unpacked.members) == ["a.txt"]
    assert unpacked.skipped == []


def test_nested_archives_are_not_unpacked():
    unpacked = unpack("outer.zip", zip_file({"inner.zip": zip_file({"a.txt": b"A"})}), LIMITS)
    assert unpacked.members == {}
    assert unpacked.skipped == ["outer.zip/inner.zip: archives inside archives are not unpacked"]


def test_tar_links_are_not_followed():
    import tarfile

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        link = tarfile.TarInfo("passwd.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    unpacked = unpack("t.tar", out.getvalue(), LIMITS)
    assert unpacked.members == {}
    assert unpacked.skipped == ["t.tar/passwd.txt: links and devices are not read"]


def test_member_over_the_file_size_limit_is_left_out():
    unpacked = unpack("b.zip", zip_file({"big.txt": b"x" * 100, "ok.txt": b"ok"}), IngestLimits(max_file_bytes=50))
    assert list(unpacked.members) == ["ok.txt"]
    assert "big.txt: size" in unpacked.skipped[0]


def test_too_many_members_refuse_the_archive():
    data = zip_file({f"{n}.txt": b"x" for n in range(5)})
    with pytest.raises(SourceError, match=r"b.zip: file count more than 3 is over the limit of 3 files"):
        unpack("b.zip", data, IngestLimits(max_archive_members=3))


def test_unpacked_size_over_the_limit_refuses_the_archive():
    data = zip_file({"a.txt": b"x" * 600, "b.txt": b"y" * 600})
    with pytest.raises(SourceError, match="REDLINE_INGEST_MAX_ARCHIVE_BYTES"):
        unpack("bomb.zip", data, IngestLimits(max_archive_bytes=1000))


def test_chinese_member_names_without_the_utf8_flag_are_recovered():
    name = "报告.txt".encode("gbk")
    data = zip_file({"XXXX.txt": b"x"}).replace(b"XXXX.txt", name)
    assert len(name) == len(b"XXXX.txt")
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x800 == 0
    assert list(unpack("cn.zip", data, LIMITS).members) == ["报告.txt"]


def test_damaged_archive_is_a_source_error():
    with pytest.raises(SourceError, match=r"broken.zip is not a readable archive"):
        unpack("broken.zip", b"PK\x03\x04 nothing more", LIMITS)


def test_an_archive_unpacking_far_past_its_size_is_refused_as_a_bomb():
    data = zip_file({"zeros.txt": bytes(40 * 1024 * 1024)})
    with pytest.raises(SourceError, match=r"bomb.zip: unpacked size \(a zip bomb\?\) 40.0 MB .*REDLINE_INGEST_MAX_ARCHIVE_RATIO"):
        unpack("bomb.zip", data, LIMITS)


def test_small_text_that_compresses_very_well_is_not_taken_for_a_bomb():
    data = zip_file({"notes.txt": b"the same line\n" * 100_000})
    assert len(unpack("notes.zip", data, LIMITS).members["notes.txt"]) == 1_400_000


def test_unpacking_past_the_deadline_refuses_the_archive():
    with pytest.raises(SourceError, match=r"slow.zip: time unpacking .* \(set REDLINE_INGEST_MAX_SECONDS"):
        unpack("slow.zip", zip_file({"a.txt": b"a"}), IngestLimits(max_seconds=1e-9))
