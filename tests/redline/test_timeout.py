"""``redline run``'s timeout counts signs of life, not seconds: a slow model that streams keeps the
run alive; a silent one ends it with what was finished saved and its own exit status."""

import json

import pytest

from redline import exits
from redline.example import QUERY, write_example
from redline.run import run_folder
from tests.openai_server import ScriptedServer, hang, reply
from tests.services.draft.test_model_chain import example_report

pytestmark = pytest.mark.nats


@pytest.fixture
def model(monkeypatch):
    """The draft service's model settings for a scripted server; heartbeats every 10 s (ack wait 30)."""

    def use(server: ScriptedServer) -> None:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_MODEL", "gpt-4o-mini")
        monkeypatch.setenv("REDLINE_DRAFT_PROGRESS_INTERVAL", "0.2")
        monkeypatch.setenv("REDLINE_DRAFT_RETRIES", "0")
        monkeypatch.setenv("REDLINE_DRAIN_TIMEOUT", "1")

    return use


async def test_a_model_streaming_for_longer_than_the_timeout_keeps_the_run_alive(nats_settings, tmp_path, model):
    folder = write_example(tmp_path / "example")
    report = example_report(folder)
    signs: list[str] = []
    async with ScriptedServer(*[reply(report, pause=0.02)] * 4, chunk=16) as server:
        model(server)
        result = await run_folder(
            folder,
            QUERY,
            tmp_path / "out",
            echo=lambda _: None,
            timeout=1.5,
            nats_settings=nats_settings,
            alive=signs.append,
        )

    assert len(report) / 16 * 0.02 > 1.5
    assert result.silent is None
    assert result.failure == ""
    assert "draft" in signs


async def test_a_silent_stage_ends_the_run_naming_it_and_saves_what_was_finished(nats_settings, tmp_path, model):
    folder = write_example(tmp_path / "example")
    out = tmp_path / "out"
    async with ScriptedServer(hang()) as server:
        model(server)
        result = await run_folder(folder, QUERY, out, echo=lambda _: None, timeout=1.5, nats_settings=nats_settings)

    assert result.exit_code() == exits.TIMED_OUT
    assert result.silent.stage == "draft"
    assert "while draft was working" in result.last_line()
    assert str(out) in result.last_line()
    saved = json.loads((out / "findings.json").read_text())
    assert saved["complete"] is False
    assert saved["stop_reason"].startswith("timed out")
    assert [json.loads(line)["type"] for line in (out / "events.jsonl").read_text().splitlines()][-1].endswith(
        "evidence.ready.v1"
    )
