import pytest

from services.ingest.errors import SourceError
from services.ingest.limits import IngestLimits, check_duration, check_file_size, check_frames, check_pages


def test_limits_are_read_from_prefixed_environment_variables(monkeypatch):
    monkeypatch.setenv("REDLINE_INGEST_MAX_PAGES", "7")
    monkeypatch.setenv("REDLINE_INGEST_MAX_FRAMES", "9")
    limits = IngestLimits()
    assert (limits.max_pages, limits.max_frames) == (7, 9)


def test_file_size_message_names_size_limit_and_variable():
    with pytest.raises(SourceError, match=r"big.pdf: size 2.0 MB is over the limit of 1.0 MB \(set REDLINE_INGEST_MAX_FILE_BYTES"):
        check_file_size("big.pdf", 2 * 1024 * 1024, IngestLimits(max_file_bytes=1024 * 1024))


@pytest.mark.parametrize(
    ("check", "value", "limits", "message"),
    [
        (check_pages, 11, IngestLimits(max_pages=10), "page count 11 is over the limit of 10 pages"),
        (check_duration, 601.0, IngestLimits(max_video_seconds=600), "length 601 s is over the limit of 600 s"),
        (check_frames, 3, IngestLimits(max_frames=2), "frame count 3 is over the limit of 2 frames"),
    ],
)
def test_each_limit_fails_with_its_own_message(check, value, limits, message):
    with pytest.raises(SourceError, match=message):
        check("f", value, limits)


def test_values_at_the_limit_pass():
    limits = IngestLimits(max_pages=10, max_frames=2, max_video_seconds=600, max_file_bytes=5)
    check_pages("f", 10, limits)
    check_frames("f", 2, limits)
    check_duration("f", 600, limits)
    check_file_size("f", 5, limits)
    assert True
