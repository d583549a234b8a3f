"""The model client against a scripted OpenAI-compatible server on loopback."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from shared.errors import PoisonError, TransientError
from shared.model import CONTINUE, ModelClient, ModelSettings, retry_after
from shared.telemetry import configure_tracing
from tests.openai_server import ScriptedServer, failure, hang, reply

MESSAGES = [{"role": "user", "content": "Write the report."}]


def client_for(server: ScriptedServer, delays: list[float] | None = None, **overrides) -> ModelClient:
    """A client of ``server`` whose backoff sleeps are recorded in ``delays`` instead of slept."""
    settings = ModelSettings(base_url=server.url, api_key="test", model="gpt-4o-mini", progress_interval=0, **overrides)

    async def sleep(seconds: float) -> None:
        if delays is not None:
            delays.append(seconds)

    return ModelClient(settings, sleep=sleep)


async def test_streamed_reply_is_joined_with_usage_and_cost():
    async with ScriptedServer(reply("A report of some length. [文档: a.pdf, page 1]", usage=(1000, 200))) as server:
        completion = await client_for(server).complete(MESSAGES, "gpt-4o-mini")
    assert completion.text == "A report of some length. [文档: a.pdf, page 1]"
    assert (completion.usage.input_tokens, completion.usage.output_tokens, completion.usage.calls) == (1000, 200, 1)
    assert completion.usage.cost_usd == pytest.approx((1000 * 0.15 + 200 * 0.60) / 1e6)
    assert server.requests[0]["stream"] is True


async def test_non_streamed_reply():
    async with ScriptedServer(reply("Whole reply.")) as server:
        completion = await client_for(server, stream=False).complete(MESSAGES, "gpt-4o-mini")
    assert completion.text == "Whole reply."
    assert "stream" not in server.requests[0]


async def test_rate_limit_waits_as_long_as_retry_after_says():
    delays: list[float] = []
    async with ScriptedServer(failure(429, "slow down", retry_after="7"), reply("ok")) as server:
        completion = await client_for(server, delays).complete(MESSAGES, "gpt-4o-mini")
    assert completion.text == "ok"
    assert delays == [7.0]


async def test_server_errors_are_retried_with_growing_backoff():
    delays: list[float] = []
    async with ScriptedServer(failure(500), failure(500), reply("ok")) as server:
        completion = await client_for(server, delays).complete(MESSAGES, "gpt-4o-mini")
    assert completion.text == "ok"
    assert len(server.requests) == 3
    assert 0.25 <= delays[0] <= 0.5 <= delays[1] <= 1.0


async def test_client_errors_fail_at_once_with_the_servers_message():
    async with ScriptedServer(failure(404, "The model 'nope' does not exist")) as server:
        with pytest.raises(PoisonError, match="HTTP 404: The model 'nope' does not exist"):
            await client_for(server).complete(MESSAGES, "nope")
    assert len(server.requests) == 1


async def test_used_up_retries_hand_the_message_back_with_retry_after():
    async with ScriptedServer(failure(429, retry_after="2"), failure(429, retry_after="2")) as server:
        with pytest.raises(TransientError, match="HTTP 429") as caught:
            await client_for(server, retries=1).complete(MESSAGES, "gpt-4o-mini")
    assert caught.value.retry_after == 2.0


async def test_a_hang_times_out_and_is_retried_then_handed_back():
    async with ScriptedServer(hang(), hang()) as server:
        with pytest.raises(TransientError, match=r"did not answer within 0.3s"):
            await client_for(server, timeout=0.3, retries=1).complete(MESSAGES, "gpt-4o-mini")
    assert len(server.requests) == 2


async def test_a_spent_deadline_fails_for_good():
    async with ScriptedServer(hang()) as server:
        with pytest.raises(PoisonError, match=r"deadline of 0.3s spent"):
            await client_for(server, timeout=5, deadline=0.3).complete(MESSAGES, "gpt-4o-mini")


async def test_a_reply_cut_at_length_is_continued_and_recorded():
    async with ScriptedServer(reply("The first half, ", "length"), reply("and the second half.")) as server:
        completion = await client_for(server).complete(MESSAGES, "gpt-4o-mini")
    assert completion.text == "The first half, and the second half."
    assert completion.usage.finish_reasons == ["length", "stop"]
    assert completion.usage.continuations == 1
    assert server.requests[1]["messages"][-2:] == [
        {"role": "assistant", "content": "The first half, "},
        {"role": "user", "content": CONTINUE},
    ]


async def test_a_reply_still_cut_after_the_continuations_fails():
    async with ScriptedServer(reply("cut", "length"), reply("cut again", "length")) as server:
        with pytest.raises(PoisonError, match="still cut at the token limit"):
            await client_for(server, continuations=1).complete(MESSAGES, "gpt-4o-mini")


async def test_progress_is_awaited_while_tokens_arrive():
    beats: list[int] = []

    async def progress() -> None:
        beats.append(1)

    async with ScriptedServer(reply("x" * 200), chunk=10) as server:
        await client_for(server).complete(MESSAGES, "gpt-4o-mini", progress)
    assert len(beats) >= 20


async def test_every_call_is_a_span_with_gen_ai_attributes():
    exporter = InMemorySpanExporter()
    configure_tracing("test", exporter)
    async with ScriptedServer(reply("part", "length", usage=(300, 40)), reply("rest", usage=(320, 10))) as server:
        await client_for(server).complete(MESSAGES, "gpt-4o-mini")
    spans = [s for s in exporter.get_finished_spans() if s.name == "chat gpt-4o-mini"]
    assert [(s.attributes["gen_ai.usage.input_tokens"], s.attributes["gen_ai.usage.output_tokens"]) for s in spans] == [
        (300, 40),
        (320, 10),
    ]
    assert all(s.attributes["gen_ai.system"] == "openai" for s in spans)
    assert all(s.attributes["gen_ai.request.model"] == "gpt-4o-mini" for s in spans)


async def test_usage_is_counted_offline_when_the_server_reports_none():
    async with ScriptedServer(reply("Four words right here.", usage=None)) as server:
        completion = await client_for(server).complete(MESSAGES, "gpt-4o-mini")
    assert completion.usage.output_tokens == 5
    assert completion.usage.input_tokens > 0


def test_retry_after_reads_an_http_date():
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after({"retry-after": later}) <= 30


def test_retry_after_prefers_milliseconds():
    assert retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5


async def test_a_key_in_the_base_url_or_echoed_in_a_401_body_never_reaches_the_reason():
    key = "marker-key-401-echo"
    async with ScriptedServer(failure(401, f"Incorrect API key provided: {key}")) as server:
        url = server.url.replace("://", f"://user:{key}@")
        client = ModelClient(ModelSettings(base_url=url, api_key=key, model="m", progress_interval=0))
        with pytest.raises(PoisonError) as raised:
            await client.complete([{"role": "user", "content": "hi"}], "m")

    assert key not in str(raised.value)
    assert "HTTP 401: Incorrect API key provided: ***" in str(raised.value)
    assert "user:***@" in str(raised.value)
