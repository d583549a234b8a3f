import pytest

from services.ingest.data import flatten, read_json
from services.ingest.errors import SourceError


def test_nested_objects_flatten_to_dotted_paths():
    assert flatten({"a": {"b": 1, "c": None}, "d": True}) == [*["a.b: 1", "a.c: null", "a.d: true"][:2], "d: true"]


def test_lists_of_scalars_stay_on_one_line_and_records_are_indexed():
    assert flatten({"tags": ["x", 2], "rows": [{"n": "q"}, {"n": "r\nline"}]}) == ["tags: x, 2", "rows[0].n: q", "rows[1].n: r line"]


def test_empty_containers_give_no_line():
    assert flatten({"a": {}, "b": [], "c": 1}) == ["c: 1"]


def test_json_file_becomes_text_units_of_flattened_lines():
    units, meta = read_json("data.json", '{"指标": {"数量": 12}}'.encode())
    assert [(u.kind, u.index, u.text, u.method) for u in units] == [("text", 1, "指标.数量: 12", "json/utf-8")]
    assert (meta.kind, meta.units) == ("json", 1)


def test_large_json_is_cut_into_pieces_of_whole_lines():
    units, _ = read_json("big.json", ("[" + ",".join(f'{{"n": {i}}}' for i in range(400)) + "]").encode())
    assert len(units) > 1
    assert all(len(u.text) <= 1500 for u in units)
    assert units[0].text.split("\n")[0] == "[0].n: 0"


def test_jsonl_lines_are_read_as_a_list():
    units, _ = read_json("rows.jsonl", b'{"a": 1}\n\n{"a": 2}\n')
    assert units[0].text == "[0].a: 1\n[1].a: 2"


def test_invalid_json_is_a_source_error():
    with pytest.raises(SourceError, match=r"bad.json is not readable JSON"):
        read_json("bad.json", b"{oops")
