"""The model judge of doubted citations, against a scripted OpenAI-compatible server."""

from __future__ import annotations

import pytest

from services.validate.checks import run_checks
from services.validate.handlers import Deps, on_report
from services.validate.judge import Judge, parse_verdict
from services.validate.settings import JudgeSettings
from shared.events import ReportDrafted, TaskContext
from shared.evidence import EvidenceLoader
from shared.model import ModelClient
from shared.storage import MemoryObjectStore
from tests.openai_server import ScriptedServer, failure, reply
from tests.services.validate.reports import PACK, REQUIREMENTS, cite, good_report
from tests.services.validate.test_handlers import QUERY

DOUBTED = "论文发表于NeurIPS 2023。"
SECOND = "论文提出了分解微调学习动态的框架，在CIFAR-10上验证。"


def report_with(*sentences: str) -> str:
    """The good report with ``sentences`` added, each citing page 1."""
    return good_report() + "".join(f"{sentence}{cite(0)}\n" for sentence in sentences)


def judge_of(server: ScriptedServer, max_calls: int = 20) -> Judge:
    settings = JudgeSettings(base_url=server.url, api_key="test", model="judge-mini", retries=0)
    return Judge(ModelClient(settings), max_calls=max_calls)


def doubted(findings):
    return [f for f in findings if f.check == "citation.unsupported"]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [("SUPPORTED", True), ("Unsupported.", False), ("The claim is not supported.", False), ("不支持", False),
     ("支持", True), ("I cannot tell.", None), ("Supported or Unsupported.", None)],
)
def test_a_reply_naming_one_verdict_is_that_verdict(text, verdict):
    assert parse_verdict(text) is verdict


async def test_a_sentence_the_judge_finds_supported_is_downgraded_to_a_warning():
    findings = run_checks(report_with(DOUBTED), REQUIREMENTS, PACK)
    async with ScriptedServer(reply("SUPPORTED")) as server:
        reviewed = await judge_of(server).review(findings, PACK)

    [before], [after] = doubted(findings), doubted(reviewed)
    assert before.severity == "error"
    assert after.severity == "warning" and "judge-mini found it supported" in after.message


async def test_a_sentence_the_judge_finds_unsupported_stays_an_error():
    findings = run_checks(report_with(DOUBTED), REQUIREMENTS, PACK)
    async with ScriptedServer(reply("UNSUPPORTED")) as server:
        [after] = doubted(await judge_of(server).review(findings, PACK))

    assert after.severity == "error" and "judge-mini agrees" in after.message


async def test_the_judge_sees_the_sentence_and_the_cited_evidence():
    findings = run_checks(report_with(DOUBTED), REQUIREMENTS, PACK)
    async with ScriptedServer(reply("UNSUPPORTED")) as server:
        await judge_of(server).review(findings, PACK)
        [request] = server.requests

    prompt = request["messages"][-1]["content"]
    assert "NeurIPS 2023" in prompt and PACK.units[0].text in prompt


async def test_an_unreachable_judge_leaves_the_offline_verdicts_and_says_so():
    findings = run_checks(report_with(DOUBTED), REQUIREMENTS, PACK)
    async with ScriptedServer(failure(401, "invalid api key")) as server:
        reviewed = await judge_of(server).review(findings, PACK)

    assert doubted(reviewed) == doubted(findings)
    [warning] = [f for f in reviewed if f.check == "judge.unavailable"]
    assert warning.severity == "warning" and "invalid api key" in warning.message


async def test_no_more_sentences_than_max_calls_are_judged():
    findings = run_checks(report_with(DOUBTED, SECOND), REQUIREMENTS, PACK)
    assert len({f.sentence for f in doubted(findings)}) == 2
    async with ScriptedServer(reply("SUPPORTED"), reply("SUPPORTED")) as server:
        await judge_of(server, max_calls=1).review(findings, PACK)

    assert len(server.requests) == 1


def test_no_judge_model_means_no_judge(monkeypatch):
    monkeypatch.setenv("OPENAI_MODEL", "gpt-4o-mini")
    monkeypatch.delenv("REDLINE_JUDGE_MODEL", raising=False)

    assert not JudgeSettings().configured


async def test_a_draft_whose_only_error_the_judge_clears_is_accepted():
    store = MemoryObjectStore()
    context = TaskContext(query=QUERY, evidence=await store.put("t1/evidence.json", PACK.model_dump_json().encode()))
    draft = ReportDrafted(task_id="t1", round=1, context=context, text=report_with(DOUBTED), writer="offline-extractive")
    async with ScriptedServer(reply("SUPPORTED")) as server:
        [event] = await on_report(draft, Deps(evidence=EvidenceLoader(store), judge=judge_of(server)))

    assert event.NAME == "report.accepted"
