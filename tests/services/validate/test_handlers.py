"""The validate handler on an in-memory store: what it publishes for each kind of version."""

import pytest

from services.validate.handlers import Deps, on_report
from shared.events import ReportDrafted, TaskContext, Usage
from shared.evidence import EvidenceLoader
from shared.storage import MemoryObjectStore
from tests.services.validate.reports import PACK, good_report

QUERY = "请撰写一份《测试阅读报告》，包含以下部分：（1）论文基本信息；（2）核心内容摘要。请标注来源。"
BROKEN = good_report().replace("page 1]", "page 9]")


@pytest.fixture
async def deps_and_context():
    store = MemoryObjectStore()
    ref = await store.put("t1/evidence.json", PACK.model_dump_json().encode())
    return Deps(evidence=EvidenceLoader(store)), TaskContext(query=QUERY, evidence=ref, max_rounds=3)


def drafted(context, text):
    return ReportDrafted(task_id="t1", round=1, context=context, text=text, writer="offline-extractive")


async def test_clean_draft_is_accepted(deps_and_context):
    deps, context = deps_and_context

    [event] = await on_report(drafted(context, good_report()), deps)

    assert event.NAME == "report.accepted"
    assert event.report_version == 1
    assert event.stop_reason.startswith("passed")


async def test_draft_with_an_unresolved_citation_asks_for_revision(deps_and_context):
    deps, context = deps_and_context

    [event] = await on_report(drafted(context, BROKEN), deps)

    assert event.NAME == "revision.requested"
    assert any(f.check == "citation.unresolved" for f in event.findings)
    assert event.loop.rounds[0].writer == "offline-extractive"


async def test_worse_revision_is_rejected_and_the_base_accepted(deps_and_context):
    deps, context = deps_and_context
    [request] = await on_report(drafted(context, BROKEN), deps)
    worse = BROKEN.replace("page 2]", "page 8]")
    revised = request.revised(worse, "offline-extractive", Usage(), [])

    [event] = await on_report(revised, deps)

    assert event.NAME == "report.accepted"
    assert event.report_version == 1
    assert event.text == BROKEN
    assert "more errors" in event.rounds[-1].note
