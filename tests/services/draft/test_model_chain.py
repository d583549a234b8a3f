"""The whole chain over NATS with the draft service calling the scripted model server."""

import pytest

from redline.example import QUERY, write_example
from redline.run import run_folder
from services.draft.writer import draft_report
from services.ingest.pdf import read_pdf
from services.ingest.webpages import read_webpages
from shared.requirements import parse_request
from shared.units import EvidencePack
from tests.openai_server import ScriptedServer, failure, reply

pytestmark = pytest.mark.nats


def example_report(folder) -> str:
    """What the offline writer drafts for the example task: a plausible model reply."""
    units = read_pdf("paper.pdf", (folder / "paper.pdf").read_bytes())[0]
    units += read_webpages("long_context.json", (folder / "long_context.json").read_bytes())[0]
    return draft_report(parse_request(QUERY), QUERY, EvidencePack(task_id="t", units=units))


async def test_a_task_completes_with_a_model_that_needs_a_retry_and_invents_a_page(nats_settings, tmp_path, monkeypatch):
    folder = write_example(tmp_path / "example")
    report = example_report(folder)
    answer = "Sure, here is the report:\n\n" + report + "\n\n另有结论。[文档: paper.pdf, page 99]"
    lines: list[str] = []
    async with ScriptedServer(failure(503, retry_after="0"), *[reply(answer)] * 6) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_MODEL", "gpt-4o-mini")
        result = await run_folder(folder, QUERY, tmp_path / "out", echo=lines.append, nats_settings=nats_settings)
    assert result.failure == ""
    assert any("written by model:gpt-4o-mini" in line for line in lines)
    final = (tmp_path / "out" / "final.md").read_text(encoding="utf-8")
    assert "page 99" not in final
    assert "Sure, here is" not in final
