"""The model client's retry and classification rules over an in-process HTTP transport: no server,
no sleeping. Streaming, spans and timeouts are tested against a real server in ``test_model.py``."""

from __future__ import annotations

import httpx2
import pytest

from shared.errors import PoisonError, TransientError
from shared.model import ModelClient, ModelSettings

MESSAGES = [{"role": "user", "content": "Write the report."}]
BASE_URL = "http://model.test/v1"


def chat(text: str) -> httpx2.Response:
    """A whole chat completion answering ``text``."""
    return httpx2.Response(
        200,
        json={
            "id": "c1",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
        },
    )


def error(status: int, message: str = "", headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"message": message}}, headers=headers)


def scripted(
    answers: list[httpx2.Response | Exception], delays: list[float], **overrides: object
) -> tuple[ModelClient[ModelSettings], list[httpx2.Request]]:
    """A client whose calls get ``answers`` in order (an exception is raised by the transport), its
    backoff sleeps recorded in ``delays``; and the list of requests it sends."""
    requests: list[httpx2.Request] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        requests.append(request)
        next_answer = answers.pop(0)
        if isinstance(next_answer, Exception):
            raise next_answer
        return next_answer

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    settings = ModelSettings(base_url=BASE_URL, api_key="test", model="m", stream=False, **overrides)
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(answer))
    return ModelClient(settings, sleep=sleep, http=http), requests


async def complete(client: ModelClient[ModelSettings]) -> str:
    return (await client.complete(MESSAGES, "m")).text


async def test_an_unavailable_server_is_asked_again_after_a_backoff():
    delays: list[float] = []
    client, requests = scripted([error(503, "overloaded"), chat("ok")], delays)
    assert await complete(client) == "ok"
    assert len(requests) == 2
    assert len(delays) == 1
    assert 0.25 <= delays[0] <= 0.5


async def test_retry_after_in_milliseconds_is_the_delay():
    delays: list[float] = []
    client, _ = scripted([error(429, headers={"retry-after-ms": "1500"}), chat("ok")], delays)
    assert await complete(client) == "ok"
    assert delays == [1.5]


async def test_a_bad_request_fails_at_once_with_the_servers_message():
    delays: list[float] = []
    client, requests = scripted([error(400, "max_tokens is too large")], delays)
    with pytest.raises(PoisonError, match="answered HTTP 400: max_tokens is too large"):
        await complete(client)
    assert len(requests) == 1
    assert delays == []


async def test_a_refused_connection_is_retried_then_handed_back_to_the_bus():
    delays: list[float] = []
    refused = [httpx2.ConnectError("connection refused"), httpx2.ConnectError("connection refused")]
    client, requests = scripted(list(refused), delays, retries=1)
    with pytest.raises(TransientError, match=f"cannot reach model m at {BASE_URL}: .*connection refused .*2 attempts"):
        await complete(client)
    assert len(requests) == 2
