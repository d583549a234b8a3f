"""The in-process chain runs the services' own wiring: what the environment configures for the
services, it configures here."""

from redline.direct import run_direct
from redline.example import write_example
from redline.folder import collect_files, find_query
from shared.events import ReportDrafted, TaskCompleted
from tests.openai_server import ScriptedServer, reply
from tests.services.draft.test_composer import REPORT


async def test_the_model_the_environment_names_drafts_in_process_as_on_the_bus(tmp_path, monkeypatch):
    folder = write_example(tmp_path / "example")
    async with ScriptedServer(then=reply(REPORT)) as server:
        monkeypatch.setenv("REDLINE_DRAFT_BASE_URL", server.url)
        monkeypatch.setenv("REDLINE_DRAFT_MODEL", "scripted")

        events = await run_direct("direct", collect_files(folder), find_query(folder)[0])

    [drafted] = [e for e in events if isinstance(e, ReportDrafted)]
    assert drafted.writer == "model:scripted"
    assert server.requests
    assert isinstance(events[-1], TaskCompleted)
