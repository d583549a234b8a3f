from itertools import pairwise

import pytest

from services.ingest.errors import SourceError
from services.ingest.subtitles import (
    Cue,
    cues_by_window,
    join_cues,
    parse_cues,
    read_subtitle_file,
    read_subtitles,
    sidecar_for,
    transcript_units,
)
from tests.corpus import CORPUS, need

TRANSCRIPTS = CORPUS / "transcripts"

SRT = """1
00:00:00,000 --> 00:00:02,500
Hello <i>there</i>

2
00:00:03,000 --> 00:00:05,000
second line
continues here
"""

VTT = """WEBVTT

NOTE a comment
with 00:00:09.000 --> 00:00:10.000 inside

STYLE
::cue { color: red }

intro
00:01.000 --> 00:02.500 align:start position:0%
<v Speaker>First &amp; best</v>

01:00:00.000 --> 01:00:01.000
<c.yellow>Late</c> <00:00:01.500>cue
"""


def test_srt_cues_have_start_end_and_clean_text():
    assert parse_cues(SRT) == [Cue(0.0, 2.5, "Hello there"), Cue(3.0, 5.0, "second line\ncontinues here")]


def test_vtt_header_notes_styles_identifiers_and_settings_are_ignored():
    assert parse_cues(VTT) == [Cue(1.0, 2.5, "First & best"), Cue(3600.0, 3601.0, "Late cue")]


def test_fractional_milliseconds_are_read_as_milliseconds():
    [cue] = parse_cues("3\n00:00:04,560.0000000000009 --> 00:00:07,925\ntext\n")
    assert cue.start == pytest.approx(4.56)
    assert cue.end == pytest.approx(7.925)


def test_short_milliseconds_are_a_number_of_milliseconds():
    [cue] = parse_cues("225\n00:13:31,847.0390625 --> 00:13:35,6.328125\ntext\n")
    assert cue.end == pytest.approx(815.006328125)


def test_crlf_and_missing_blank_lines_still_parse():
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\none\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\ntwo\r\n"
    assert [cue.text for cue in parse_cues(text)] == ["one", "two"]


def test_cue_ending_before_it_starts_ends_at_its_start():
    [cue] = parse_cues("00:00:05,000 --> 00:00:04,000\nx\n")
    assert (cue.start, cue.end) == (5.0, 5.0)


def test_non_utf8_subtitles_are_decoded():
    data = "1\n00:00:01,000 --> 00:00:02,000\n注意力机制是一种让模型关注输入重要部分的方法。\n".encode("gbk")
    assert read_subtitles("zh.srt", data)[0].text == "注意力机制是一种让模型关注输入重要部分的方法。"


def test_file_without_cues_is_a_source_error():
    with pytest.raises(SourceError, match=r"empty.srt holds no subtitle cues"):
        read_subtitles("empty.srt", b"just some words\n")


def test_each_cue_goes_to_the_window_it_overlaps_most():
    cues = [Cue(0, 2, "a"), Cue(2.5, 4.5, "b"), Cue(5, 7, "c")]
    shares = cues_by_window(cues, [(0.0, 3.0), (3.0, 10.0)])
    assert [[c.text for c in share] for share in shares] == [["a"], ["b", "c"]]


def test_a_cue_outside_every_window_goes_to_the_nearest():
    shares = cues_by_window([Cue(11, 12, "late")], [(0.0, 3.0), (3.0, 10.0)])
    assert [[c.text for c in share] for share in shares] == [[], ["late"]]


def test_cues_join_with_spaces_except_next_to_cjk():
    assert join_cues([Cue(0, 1, "in the"), Cue(1, 2, "end"), Cue(2, 3, "在上一章中"), Cue(3, 4, "我们")]) == "in the end在上一章中我们"


def test_transcript_units_cover_about_a_minute_each():
    cues = [Cue(float(t), t + 5.0, f"w{t}") for t in range(0, 150, 10)]
    units = transcript_units("talk.srt", cues, "subtitles/srt")
    assert [(u.kind, u.index, u.start, u.end) for u in units] == [("audio", 1, 0.0, 55.0), ("audio", 2, 60.0, 115.0), ("audio", 3, 120.0, 145.0)]


def test_subtitle_file_reads_as_audio_units_named_by_format():
    units, meta = read_subtitle_file("talk.vtt", VTT.encode())
    assert {u.method for u in units} == {"subtitles/vtt"}
    assert (meta.kind, meta.units) == ("subtitles", len(units))


def test_sidecar_prefers_same_stem_then_language_tag():
    names = ["talk.mp4", "talk.zh.srt", "talk.vtt", "other.srt"]
    assert sidecar_for("talk.mp4", names) == "talk.vtt"
    assert sidecar_for("talk.mp4", ["talk.mp4", "talk.zh.srt"]) == "talk.zh.srt"
    assert sidecar_for("clip.mp4", names) is None


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "count", "last_start", "last_end"),
    [("3b1b_2024_attention_en.srt", 421, 1564.96, 1569.2), ("3b1b_2024_attention_zh.srt", 424, 1564.96, 1569.2)],
)
def test_corpus_transcripts_parse_every_cue(name, count, last_start, last_end):
    cues = read_subtitles(name, need(TRANSCRIPTS / name).read_bytes())
    assert len(cues) == count
    assert (cues[0].start, cues[0].end) == (0.0, 2.009)
    assert (cues[-1].start, cues[-1].end) == pytest.approx((last_start, last_end))


@pytest.mark.corpus
def test_corpus_chinese_transcript_malformed_times_are_in_order():
    cues = read_subtitles("zh.srt", need(TRANSCRIPTS / "3b1b_2024_attention_zh.srt").read_bytes())
    assert cues[2] == Cue(pytest.approx(4.56), 7.925, "Transformer 是大语言模型中关键的技术组成部分，")
    assert all(a.start <= b.start for a, b in pairwise(cues))
    assert all(c.end >= c.start for c in cues)
