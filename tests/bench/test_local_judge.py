"""The benchmark's judge replies, kept between runs, against a scripted OpenAI-compatible server."""

from __future__ import annotations

import json

from bench.local_judge import Replies
from services.validate.judge import Judge
from services.validate.settings import JudgeSettings
from shared.model import ModelClient
from tests.openai_server import ScriptedServer, reply

PAIRS = [("Claim one.", ["Evidence one."]), ("Claim two.", ["Evidence two."])]


def judge_of(server: ScriptedServer) -> Judge:
    return Judge(ModelClient(JudgeSettings(base_url=server.url, api_key="test", model="judge-mini", retries=0)), batch=1)


async def test_verdicts_are_kept_in_the_file_and_not_asked_again(tmp_path):
    path = tmp_path / "replies.json"
    async with ScriptedServer(reply("SUPPORTED"), reply("UNSUPPORTED")) as server:
        first = await Replies(judge_of(server), path).verdicts(PAIRS)
        again = await Replies(judge_of(server), path).verdicts(PAIRS)

    assert first == again == [True, False]
    assert len(server.requests) == 2
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 2


async def test_a_spent_budget_leaves_the_unasked_pairs_without_a_verdict(tmp_path):
    async with ScriptedServer(reply("SUPPORTED")) as server:
        replies = Replies(judge_of(server), None, budget=0)
        verdicts = await replies.verdicts(PAIRS)

    assert verdicts == [None, None]
    assert replies.unasked == 2
    assert server.requests == []
