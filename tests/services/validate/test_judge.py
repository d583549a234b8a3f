"""The model judge of doubted citations, against a scripted OpenAI-compatible server."""

from __future__ import annotations

import pytest

from services.validate.checks import run_checks
from services.validate.handlers import Deps, on_report
from services.validate.judge import Judge, judge_messages, parse_verdict, parse_verdicts
from services.validate.settings import JudgeSettings
from shared.events import ReportDrafted, TaskContext
from shared.evidence import EvidenceLoader
from shared.model import ModelClient
from shared.storage import MemoryObjectStore
from tests.openai_server import ScriptedServer, failure, reply
from tests.services.validate.reports import PACK, REQUIREMENTS, cite, good_report
from tests.services.validate.test_handlers import QUERY

PROVEN = "论文发表于NeurIPS 2023。"
DOUBTED = "作者还讨论了模型在多语言场景下的表现。"
SECOND = "该框架也被用于分析强化学习中的奖励设计。"


def report_with(*sentences: str, page: int = 1) -> str:
    """The good report with ``sentences`` added, each citing ``page`` (unit index of ``PACK``)."""
    return good_report() + "".join(f"{sentence}{cite(page)}\n" for sentence in sentences)


def judge_of(server: ScriptedServer, max_calls: int = 20, batch: int = 5) -> Judge:
    settings = JudgeSettings(base_url=server.url, api_key="test", model="judge-mini", retries=0)
    return Judge(ModelClient(settings), max_calls=max_calls, batch=batch)


def doubted(findings):
    return [f for f in findings if f.check == "citation.unsupported"]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [("SUPPORTED", True), ("Unsupported.", False), ("The claim is not supported.", False), ("不支持", False),
     ("支持", True), ("I cannot tell.", None), ("Supported or Unsupported.", None)],
)
def test_a_reply_naming_one_verdict_is_that_verdict(text, verdict):
    assert parse_verdict(text) is verdict


def test_a_batch_reply_gives_each_numbered_claim_its_verdict():
    assert parse_verdicts("1: SUPPORTED\n3: UNSUPPORTED\n2: maybe", 3) == [True, None, False]


async def test_a_doubt_the_judge_finds_supported_stays_a_warning_saying_so():
    findings = run_checks(report_with(DOUBTED), REQUIREMENTS, PACK)
    async with ScriptedServer(reply("1: SUPPORTED")) as server:
        reviewed = await judge_of(server).review(findings, PACK)

    [before], [after] = doubted(findings), doubted(reviewed)
    assert before.severity == "warning"
    assert after.severity == "warning"
    assert "judge-mini found it supported" in after.message


async def test_a_doubt_the_judge_finds_unsupported_becomes_an_error():
    findings = run_checks(report_with(DOUBTED), REQUIREMENTS, PACK)
    async with ScriptedServer(reply("1: UNSUPPORTED")) as server:
        [after] = doubted(await judge_of(server).review(findings, PACK))

    assert after.severity == "error"
    assert "judge-mini found it unsupported" in after.message


async def test_a_proven_mismatch_is_never_sent_to_the_judge():
    findings = run_checks(report_with(PROVEN, page=0), REQUIREMENTS, PACK)
    async with ScriptedServer(reply("1: SUPPORTED")) as server:
        reviewed = await judge_of(server).review(findings, PACK)

    assert server.requests == []
    assert doubted(reviewed) == doubted(findings)
    assert doubted(reviewed)[0].severity == "error"


async def test_the_judge_sees_the_aligned_evidence_sentences_not_whole_pages():
    page = "模型在三个数据集上做了实验。作者讨论了模型在多语言场景下的局限。附录列出了全部超参数。"
    pack = PACK.model_copy(update={"units": [PACK.units[0].model_copy(update={"text": page}), *PACK.units[1:]]})
    findings = run_checks(report_with(SECOND, page=0), REQUIREMENTS, pack)
    async with ScriptedServer(reply("1: UNSUPPORTED")) as server:
        await judge_of(server).review(findings, pack)
        [request] = server.requests

    prompt = request["messages"][-1]["content"]
    assert "强化学习中的奖励设计" in prompt
    assert "- 作者讨论了模型在多语言场景下的局限。" in prompt
    assert page not in prompt


async def test_doubted_claims_are_judged_in_batches_with_a_verdict_each():
    findings = run_checks(report_with(DOUBTED, SECOND, "论文还比较了不同优化器的收敛速度。"), REQUIREMENTS, PACK)
    async with ScriptedServer(reply("1: SUPPORTED\n2: UNSUPPORTED"), reply("1: SUPPORTED")) as server:
        reviewed = await judge_of(server, batch=2).review(findings, PACK)

    assert len(server.requests) == 2
    severities = {f.sentence.split("[")[0]: f.severity for f in doubted(reviewed)}
    assert severities == {DOUBTED: "warning", SECOND: "error", "论文还比较了不同优化器的收敛速度。": "warning"}


async def test_an_unreachable_judge_leaves_the_offline_verdicts_and_says_so():
    findings = run_checks(report_with(DOUBTED), REQUIREMENTS, PACK)
    async with ScriptedServer(failure(401, "invalid api key")) as server:
        reviewed = await judge_of(server).review(findings, PACK)

    assert doubted(reviewed) == doubted(findings)
    [warning] = [f for f in reviewed if f.check == "judge.unavailable"]
    assert warning.severity == "warning"
    assert "invalid api key" in warning.message


async def test_no_more_sentences_than_max_calls_are_judged():
    findings = run_checks(report_with(DOUBTED, SECOND), REQUIREMENTS, PACK)
    assert len({f.sentence for f in doubted(findings)}) == 2
    async with ScriptedServer(reply("1: SUPPORTED")) as server:
        await judge_of(server, max_calls=1).review(findings, PACK)

    [request] = server.requests
    assert "Claim 1:" in request["messages"][-1]["content"]
    assert "Claim 2:" not in request["messages"][-1]["content"]


def test_no_judge_model_means_no_judge(monkeypatch):
    monkeypatch.setenv("OPENAI_MODEL", "gpt-4o-mini")
    monkeypatch.delenv("REDLINE_JUDGE_MODEL", raising=False)

    assert not JudgeSettings().configured


async def test_a_draft_whose_only_error_is_a_proven_mismatch_is_not_cleared_by_the_judge():
    store = MemoryObjectStore()
    context = TaskContext(query=QUERY, evidence=await store.put("t1/evidence.json", PACK.model_dump_json().encode()))
    draft = ReportDrafted(task_id="t1", round=1, context=context, text=report_with(PROVEN, page=0), writer="offline-extractive")
    async with ScriptedServer(reply("1: SUPPORTED")) as server:
        [event] = await on_report(draft, Deps(evidence=EvidenceLoader(store), judge=judge_of(server)))

    assert event.NAME == "revision.requested"


def test_a_single_claim_is_asked_for_one_word_and_a_batch_for_numbered_lines():
    single = judge_messages([(DOUBTED, ["证据。"])])[-1]["content"]
    batch = judge_messages([(DOUBTED, ["证据。"]), (SECOND, ["证据。"])])[-1]["content"]

    assert single.endswith("Answer with one word.")
    assert "Answer 2 lines" in batch
