"""No secret set in the environment appears in any output, event, trace, log line or error."""

import pytest

from redline.example import QUERY, write_example
from redline.run import run_folder
from tests.openai_server import ScriptedServer, failure

pytestmark = pytest.mark.nats

MARKERS = {
    "OPENAI_API_KEY": "marker-openai-key-8d2f",
    "NATS_PASSWORD": "marker-nats-password-51ab",
    "NATS_TOKEN": "marker-nats-token-c03e",
}


async def test_a_key_echoed_by_a_401_and_held_in_the_base_url_appears_nowhere(nats_settings, tmp_path, monkeypatch, capfd):
    key = MARKERS["OPENAI_API_KEY"]
    for name, value in MARKERS.items():
        monkeypatch.setenv(name, value)
    lines: list[str] = []
    async with ScriptedServer(failure(401, f"Incorrect API key provided: {key}")) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url.replace("://", f"://user:{key}@"))
        monkeypatch.setenv("OPENAI_MODEL", "gpt-4o-mini")
        result = await run_folder(write_example(tmp_path / "example"), QUERY, tmp_path / "out", echo=lines.append,
                                  nats_settings=nats_settings)
    captured = capfd.readouterr()
    outputs = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "out").iterdir()}

    assert "HTTP 401" in result.failure
    assert "***" in result.failure
    assert {"events.jsonl", "trace.json"} <= set(outputs)
    places = {"failure": result.failure, "echo": "\n".join(lines), "stdout": captured.out, "stderr": captured.err, **outputs}
    assert [place for place, text in places.items() if any(value in text for value in MARKERS.values())] == []
