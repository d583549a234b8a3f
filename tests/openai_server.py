"""A scripted OpenAI-compatible chat server on loopback, for tests.

``POST /v1/chat/completions`` answers with the next step of the script, streamed as server-sent
events when the request asks for ``stream`` and as one JSON response otherwise. A step is a reply
(text, finish reason, token usage), an HTTP error (status, message, ``Retry-After``) or a hang (the
request is read and never answered). Every request body is kept in ``requests``. Each response
closes its connection. When the script runs out, requests get ``then`` (by default HTTP 500
"script exhausted"). ``pause`` seconds pass between streamed chunks (a slow model).

    async with ScriptedServer(failure(429, retry_after="1"), reply("text")) as server:
        client = AsyncOpenAI(base_url=server.url, api_key="x")
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error"}


@dataclass
class Step:
    """One scripted answer."""

    text: str = ""
    finish_reason: str = "stop"
    usage: tuple[int, int] | None = (100, 50)
    status: int = 200
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    pause: float = 0.0


def reply(
    text: str, finish_reason: str = "stop", usage: tuple[int, int] | None = (100, 50), pause: float = 0.0
) -> Step:
    """A reply; ``usage`` is (prompt tokens, completion tokens), None to report none; a streamed reply
    waits ``pause`` seconds before each chunk (a slow model)."""
    return Step(text=text, finish_reason=finish_reason, usage=usage, pause=pause)


def failure(status: int, message: str = "scripted failure", retry_after: str | None = None) -> Step:
    """An HTTP error with an OpenAI-style error body."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Step(status=status, message=message, headers=headers)


def hang() -> Step:
    """A request that is never answered."""
    return Step(hang=True)


class ScriptedServer:
    """The server; use as an async context manager."""

    def __init__(self, *steps: Step, chunk: int = 16, pause: float = 0.0, then: Step | None = None) -> None:
        self.steps = list(steps)
        self.chunk = chunk
        self.pause = pause
        self.then = then or failure(500, "script exhausted")
        self.requests: list[dict] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def url(self) -> str:
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/v1"

    async def __aenter__(self) -> ScriptedServer:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except ConnectionError:  # the client went away (closed, or its process was killed)
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.split("\r\n")
        method, path, _ = request_line.split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines if ":" in h)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        if method != "POST" or not path.endswith("/chat/completions"):
            await self._send_json(writer, 404, {"error": {"message": f"no route {method} {path}"}})
            return
        request = json.loads(body)
        self.requests.append(request)
        step = self.steps.pop(0) if self.steps else self.then
        if step.hang:
            await asyncio.sleep(3600)
        elif step.status != 200:
            error = {"error": {"message": step.message, "type": "scripted", "code": step.status}}
            await self._send_json(writer, step.status, error, step.headers)
        elif request.get("stream"):
            await self._send_stream(writer, request, step)
        else:
            await self._send_json(writer, 200, completion(request, step))

    async def _send_json(self, writer: asyncio.StreamWriter, status: int, payload: dict, extra: dict | None = None):
        data = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(data)), **(extra or {})}
        writer.write(status_line(status, headers) + data)
        await writer.drain()

    async def _send_stream(self, writer: asyncio.StreamWriter, request: dict, step: Step) -> None:
        writer.write(status_line(200, {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}))
        pieces = [step.text[i : i + self.chunk] for i in range(0, len(step.text), self.chunk)]
        events = [chunk_event(request, {"role": "assistant", "content": ""}, None)]
        events += [chunk_event(request, {"content": piece}, None) for piece in pieces]
        events.append(chunk_event(request, {}, step.finish_reason))
        if step.usage and (request.get("stream_options") or {}).get("include_usage"):
            events.append({**chunk_event(request, {}, None), "choices": [], "usage": usage_of(step)})
        for event in events:
            await asyncio.sleep(step.pause)
            writer.write(f"data: {json.dumps(event)}\n\n".encode())
            await writer.drain()
            await asyncio.sleep(self.pause)
        writer.write(b"data: [DONE]\n\n")
        await writer.drain()


def status_line(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join([*lines, "Connection: close", "", ""])).encode()


def usage_of(step: Step) -> dict:
    prompt, completion_tokens = step.usage
    return {"prompt_tokens": prompt, "completion_tokens": completion_tokens, "total_tokens": prompt + completion_tokens}


def completion(request: dict, step: Step) -> dict:
    """A non-streamed chat completion for ``step``."""
    payload = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", ""),
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": step.text}, "finish_reason": step.finish_reason}
        ],
    }
    if step.usage:
        payload["usage"] = usage_of(step)
    return payload


def chunk_event(request: dict, delta: dict, finish_reason: str | None) -> dict:
    """One streamed chunk."""
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": request.get("model", ""),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
