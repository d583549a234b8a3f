"""Draft handlers: the offline writer by default, the model when one is configured."""

from services.draft.handlers import OFFLINE_WRITER, Deps, on_evidence_ready, on_revision_requested
from services.draft.settings import DraftModelSettings
from shared.events import EvidenceReady, LoopState, RevisionRequested, RoundRecord, TaskContext
from shared.evidence import EvidenceLoader
from shared.findings import Finding
from shared.model import ModelClient
from shared.storage import MemoryObjectStore
from tests.openai_server import ScriptedServer, reply
from tests.services.draft.test_composer import REPORT
from tests.services.draft.test_writer import QUERY, make_pack


async def context() -> tuple[EvidenceLoader, TaskContext]:
    store = MemoryObjectStore()
    ref = await store.put("t1/evidence.json", make_pack().model_dump_json().encode())
    return EvidenceLoader(store), TaskContext(query=QUERY, evidence=ref)


def model_for(server: ScriptedServer) -> ModelClient:
    return ModelClient(DraftModelSettings(base_url=server.url, model="gpt-4o-mini", progress_interval=0))


async def test_without_a_model_the_offline_writer_drafts():
    evidence, ctx = await context()
    [event] = await on_evidence_ready(EvidenceReady(task_id="t1", context=ctx, units=9), Deps(evidence=evidence))
    assert event.writer == OFFLINE_WRITER
    assert event.usage.calls == 0
    assert event.text.startswith("《Transformer论文阅读报告》")


async def test_with_a_model_the_draft_carries_usage_findings_and_progress():
    evidence, ctx = await context()
    beats: list[int] = []

    async def progress() -> None:
        beats.append(1)

    bad = REPORT.replace("[talk.mp4, Frame 1]", "[talk.mp4, Frame 40]")
    async with ScriptedServer(reply(bad, usage=(1500, 400))) as server:
        deps = Deps(evidence=evidence, model=model_for(server), progress=progress)
        [event] = await on_evidence_ready(EvidenceReady(task_id="t1", context=ctx, units=9), deps)
    assert event.writer == "model:gpt-4o-mini"
    assert (event.usage.input_tokens, event.usage.output_tokens, event.usage.model) == (1500, 400, "gpt-4o-mini")
    assert event.usage.cost_usd > 0
    assert [f.check for f in event.writer_findings] == ["draft.citation_removed"]
    assert beats


async def test_with_a_model_the_revision_records_what_it_kept():
    evidence, ctx = await context()
    finding = Finding(check="length.too_short", severity="error", message="The report is too short.")
    longer = REPORT + "\n\n研究者认为注意力模型也能迁移到句法分析。[long_context: \"注意力机制详解\", chunk 3]"
    request = RevisionRequested(
        task_id="t1",
        round=1,
        context=ctx,
        text=REPORT,
        findings=[finding],
        loop=LoopState(
            original_text=REPORT,
            rounds=[RoundRecord(report_version=1, chars=len(REPORT), errors=1, warnings=0, verdict="revise", text=REPORT)],
            base_version=1,
            next_version=2,
        ),
    )
    async with ScriptedServer(reply(longer)) as server:
        [event] = await on_revision_requested(request, Deps(evidence=evidence, model=model_for(server)))
    assert (event.report_version, event.round, event.loop) == (2, 2, request.loop)
    assert event.text == longer
    assert event.usage.calls == 1


async def test_without_a_model_a_draft_from_sources_in_another_language_says_it_quotes_them():
    evidence, ctx = await context()
    [event] = await on_evidence_ready(EvidenceReady(task_id="t1", context=ctx, units=9), Deps(evidence=evidence))
    [notice] = [f for f in event.writer_findings if f.check == "draft.quotes_sources"]
    assert "quotes the sources in their own language (English)" in notice.message
    assert "OPENAI_MODEL" in notice.message
    assert "redline[local]" in notice.message


async def test_without_a_model_a_draft_from_sources_in_the_request_language_says_nothing_of_it():
    store = MemoryObjectStore()
    pack = make_pack()
    pack.units = [u for u in pack.units if u.kind == "chunk"]
    ref = await store.put("t1/evidence.json", pack.model_dump_json().encode())
    ctx = TaskContext(query=QUERY, evidence=ref)
    [event] = await on_evidence_ready(EvidenceReady(task_id="t1", context=ctx, units=4), Deps(evidence=EvidenceLoader(store)))
    assert not [f for f in event.writer_findings if f.check == "draft.quotes_sources"]


async def test_the_offline_draft_lists_the_cited_sources_under_a_required_reference_section():
    store = MemoryObjectStore()
    ref = await store.put("t1/evidence.json", make_pack().model_dump_json().encode())
    query = QUERY.replace("（4）视频补充要点。", "（4）视频补充要点；（5）参考资料。")
    data = EvidenceReady(task_id="t1", context=TaskContext(query=query, evidence=ref), units=9)
    [event] = await on_evidence_ready(data, Deps(evidence=EvidenceLoader(store)))
    entries = event.text.split("参考资料\n")[1].strip().split("\n")
    assert entries[0] == "1. Ashish Vaswani、Noam Shazeer：《Attention Is All You Need》[文档: paper.pdf, page 1]。"
    assert all(entry.startswith(f"{n}. ") for n, entry in enumerate(entries, 1))
