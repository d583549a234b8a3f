"""Drafting and revising with a model served by the scripted server."""

import pytest

from services.draft.composer import draft_with_model, drop_uncited_additions, revise_with_model
from services.draft.settings import DraftModelSettings
from shared.errors import PoisonError
from shared.findings import Finding
from shared.model import ModelClient
from shared.requirements import parse_request
from tests.openai_server import ScriptedServer, reply
from tests.services.draft.test_writer import QUERY, make_pack

REPORT = (
    "《Transformer论文阅读报告》\n\n## （1）论文基本信息\n\n论文提出了 Transformer。[文档: paper.pdf, page 1]\n\n"
    "## （2）核心内容摘要\n\n模型完全依靠注意力机制。[long_context: \"注意力机制详解\", chunk 1]\n\n"
    "## （3）关键技术解析\n\n多头注意力关注不同位置。[文档: paper.pdf, page 2]\n\n"
    "## （4）视频补充要点\n\n视频讲解了注意力。[talk.mp4, Frame 1]"
)
TOOL_CALL = 'I will first read the files.\n<tool_call>{"name": "read_file", "arguments": {"path": "paper.pdf"}}</tool_call>'


def client_for(server: ScriptedServer) -> ModelClient:
    return ModelClient(DraftModelSettings(base_url=server.url, model="gpt-4o-mini", revise_model="reviser", progress_interval=0))


async def test_a_draft_is_the_parsed_reply_with_its_usage():
    async with ScriptedServer(reply("Here is the report:\n\n" + REPORT, usage=(2000, 500))) as server:
        written = await draft_with_model(client_for(server), parse_request(QUERY), QUERY, make_pack())
    assert written.text == REPORT
    assert written.writer == "model:gpt-4o-mini"
    assert (written.usage.input_tokens, written.usage.output_tokens) == (2000, 500)


async def test_a_citation_to_a_unit_that_does_not_exist_is_removed_and_recorded():
    bad = REPORT.replace("[文档: paper.pdf, page 2]", "[文档: paper.pdf, page 12]")
    async with ScriptedServer(reply(bad)) as server:
        written = await draft_with_model(client_for(server), parse_request(QUERY), QUERY, make_pack())
    assert "page 12" not in written.text
    assert "多头注意力关注不同位置。\n" in written.text
    assert [f.citation for f in written.findings if f.check == "draft.citation_removed"] == ["文档: paper.pdf, page 12"]


async def test_a_tool_call_preamble_is_answered_with_a_request_for_the_report():
    async with ScriptedServer(reply(TOOL_CALL), reply(REPORT)) as server:
        written = await draft_with_model(client_for(server), parse_request(QUERY), QUERY, make_pack())
    assert written.text == REPORT
    assert written.usage.calls == 2
    assert [f.check for f in written.findings] == ["draft.reply_rejected"]
    assert server.requests[1]["messages"][-2]["content"] == TOOL_CALL


async def test_two_replies_without_a_report_fail_the_task():
    async with ScriptedServer(reply(TOOL_CALL), reply(TOOL_CALL)) as server:
        with pytest.raises(PoisonError, match="returned no report, twice"):
            await draft_with_model(client_for(server), parse_request(QUERY), QUERY, make_pack())


async def test_a_revision_keeps_what_it_was_not_asked_to_change():
    finding = Finding(
        check="citation.unsupported",
        severity="error",
        message="The cited unit does not say this.",
        sentence="多头注意力关注不同位置。[文档: paper.pdf, page 2]",
        citation="[文档: paper.pdf, page 2]",
    )
    revised = REPORT.replace("多头注意力关注不同位置。[文档: paper.pdf, page 2]", "多头注意力把表示划分到多个子空间。[long_context: \"注意力机制详解\", chunk 1]")
    async with ScriptedServer(reply(revised)) as server:
        written = await revise_with_model(client_for(server), REPORT, [finding], parse_request(QUERY), QUERY, make_pack())
    assert written.text == revised
    assert written.writer == "model:reviser"
    assert server.requests[0]["model"] == "reviser"


def test_a_revision_may_not_add_an_uncited_claim():
    new = REPORT + "\n\nICLR 是国际计算与学习表征大会。"
    text, findings = drop_uncited_additions(REPORT, new, parse_request(QUERY))
    assert text == REPORT
    assert [(f.check, f.sentence) for f in findings] == [("draft.claim_dropped", "ICLR 是国际计算与学习表征大会。")]
