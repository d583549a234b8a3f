"""Calls to an OpenAI-compatible chat model: streaming, retries, continuation, usage and cost.

Failures, and what becomes of them (the ``openai`` client's own retries are off; these are the only ones):

- HTTP 408, 409, 429, 5xx, timeouts, connection errors and a stream that ends without a finish
  reason are retried here with exponential backoff and jitter; a ``Retry-After`` (or
  ``retry-after-ms``) header is honoured as the delay.
- Once the per-message ``deadline`` is spent the message fails for good: ``PoisonError`` with the
  model's error. Redelivering would only spend another whole deadline on an endpoint that did not
  answer within one.
- When the retries are used up (or the server asks to wait longer than the deadline leaves) with
  time left, ``TransientError`` (carrying the ``Retry-After``) hands the message back to the bus,
  which redelivers it later — perhaps to another replica — until ``max_deliver`` ends the task with
  the same readable reason. So one task spends at most ``deadline × max_deliver`` on the model.
- Any other HTTP status (400, 401, 403, 404, 422…) cannot get better by waiting: ``PoisonError`` at once.

A reply cut at the token limit (``finish_reason == "length"``) is never taken as finished: the partial
reply goes back as the assistant's message with a request to continue, up to ``continuations`` times,
and the pieces are joined. Still cut after that: ``PoisonError``.

The HTTP client is injectable: unit tests of these rules pass an ``httpx2.AsyncClient`` on an
``httpx2.MockTransport``; integration tests call a real server (``tests/openai_server.py``).

Every call is a child span ``chat {model}`` with the OpenTelemetry GenAI attributes
(``gen_ai.system``, ``gen_ai.request.model``, ``gen_ai.usage.input_tokens``,
``gen_ai.usage.output_tokens``, …) and ``redline.cost_usd``. While tokens arrive, ``progress`` is awaited
at most every ``progress_interval`` seconds, so the caller can tell the bus the work goes on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar

import httpx2
import openai
from openai.types import CompletionUsage
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.util.types import AttributeValue
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.errors import PoisonError, TransientError
from shared.events import Usage
from shared.redact import exception_attributes, redact
from shared.retry import backoff_delay
from shared.telemetry import tracer
from shared.tokens import cost_usd, count_tokens

Progress = Callable[[], Awaitable[None]]
Messages = list[dict[str, str]]

CONTINUE = (
    "Your reply was cut off at the length limit. Continue exactly where it stopped: no repetition, "
    "no preamble, no remarks."
)
RETRYABLE_STATUS = frozenset({408, 409, 429})
RETRY_AFTER_CAP = 60.0


def standard_alias(prefix: str, name: str) -> AliasChoices:
    """``<prefix><NAME>``, then the standard ``OPENAI_<NAME>``."""
    return AliasChoices(f"{prefix}{name}", f"OPENAI_{name}")


class ModelSettings(BaseSettings):
    """How to reach a model and how long to try. Each service that calls one subclasses this with
    its own ``env_prefix`` (``REDLINE_DRAFT_``, ``REDLINE_JUDGE_``) and lets ``base_url``,
    ``api_key`` (and, where it fits, ``model``) fall back to the standard ``OPENAI_*`` variables."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    base_url: str = Field(default="", description="Empty: OpenAI's.")
    api_key: str = Field(default="", description="Empty: none sent.")
    model: str = Field(default="", description="Empty: no model is called.")
    timeout: float = Field(default=180.0, gt=0, description="Seconds one call may take.")
    deadline: float = Field(default=900.0, gt=0, description="Seconds all calls of one message may take.")
    max_tokens: int = Field(default=4096, ge=1, description="Reply budget per call.")
    temperature: float = Field(default=0.2, ge=0, le=2)
    stream: bool = True
    retries: int = Field(default=4, ge=0, description="Retries after a failed call.")
    continuations: int = Field(default=3, ge=0, description="Follow-ups to a reply cut at max_tokens.")
    progress_interval: float = Field(default=5.0, ge=0, description="Seconds between progress calls.")

    @property
    def configured(self) -> bool:
        """Whether a model is named."""
        return bool(self.model)


class ReplyIncomplete(Exception):
    """The server closed the reply without a finish reason."""


@dataclass
class Reply:
    """One call's answer."""

    text: str
    finish_reason: str
    input_tokens: int
    output_tokens: int


@dataclass
class Failure:
    """A failed call, classified: may it be retried, how long the server asks to wait, and why in words."""

    retryable: bool
    reason: str
    retry_after: float | None = None


@dataclass
class Completion:
    """A whole reply (continuations joined) and what it cost."""

    text: str
    usage: Usage = field(default_factory=Usage)


S = TypeVar("S", bound=ModelSettings)


class ModelClient(Generic[S]):
    """One OpenAI-compatible endpoint, called with the retry, continuation and tracing rules above;
    ``settings`` is the caller's subclass of ``ModelSettings``."""

    def __init__(
        self,
        settings: S,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        http: httpx2.AsyncClient | None = None,
    ) -> None:
        """``http`` is the HTTP client to call through (the ``openai`` client's own when None)."""
        self.settings = settings
        self.sleep = sleep
        self.clock = clock
        self.client = openai.AsyncOpenAI(
            base_url=settings.base_url or None,
            api_key=settings.api_key or "unused",
            timeout=settings.timeout,
            max_retries=0,
            http_client=http,
        )

    async def complete(self, messages: Messages, model: str, progress: Progress | None = None) -> Completion:
        """The model's whole reply to ``messages``, continued while it is cut at the token limit."""
        deadline = self.clock() + self.settings.deadline
        messages = list(messages)
        usage = Usage(model=model)
        parts: list[str] = []
        while True:
            reply = await self.attempt(messages, model, deadline, progress)
            parts.append(reply.text)
            usage.calls += 1
            usage.input_tokens += reply.input_tokens
            usage.output_tokens += reply.output_tokens
            usage.finish_reasons.append(reply.finish_reason)
            if reply.finish_reason != "length":
                break
            if usage.continuations >= self.settings.continuations:
                raise PoisonError(
                    f"the reply of model {model} was still cut at the token limit ({self.settings.max_tokens} "
                    f"tokens) after {usage.continuations} continuations"
                )
            usage.continuations += 1
            messages += [{"role": "assistant", "content": reply.text}, {"role": "user", "content": CONTINUE}]
        usage.cost_usd = cost_usd(model, usage.input_tokens, usage.output_tokens)
        return Completion(text="".join(parts), usage=usage)

    async def attempt(self, messages: Messages, model: str, deadline: float, progress: Progress | None) -> Reply:
        """One reply, retried by the rules of this module until it arrives or the rules give up."""
        retry = 0
        while True:
            try:
                return await self.call(messages, model, deadline, progress)
            except (openai.APIError, TimeoutError, ReplyIncomplete) as exc:
                failure = classify(exc, model, self.settings)
            if not failure.retryable:
                raise PoisonError(failure.reason)
            left = deadline - self.clock()
            if left <= 0:
                raise PoisonError(f"{failure.reason} (deadline of {self.settings.deadline:g}s spent, {retry + 1} attempts)")
            delay = backoff_delay(retry + 1, failure.retry_after, cap=RETRY_AFTER_CAP)
            if retry >= self.settings.retries or delay >= left:
                raise TransientError(f"{failure.reason} ({retry + 1} attempts)", retry_after=failure.retry_after)
            await self.sleep(delay)
            retry += 1

    async def call(self, messages: Messages, model: str, deadline: float, progress: Progress | None) -> Reply:
        """One HTTP call inside its span, cut off at ``timeout`` or at the deadline, whichever is sooner."""
        budget = max(0.001, min(self.settings.timeout, deadline - self.clock()))
        attributes: dict[str, AttributeValue] = {
            "gen_ai.operation.name": "chat",
            "gen_ai.system": "openai",
            "gen_ai.request.model": model,
            "gen_ai.request.max_tokens": self.settings.max_tokens,
            "gen_ai.request.temperature": self.settings.temperature,
        }
        with tracer().start_as_current_span(
            f"chat {model}", kind=SpanKind.CLIENT, attributes=attributes, record_exception=False, set_status_on_exception=False
        ) as span:
            try:
                async with asyncio.timeout(budget):
                    if self.settings.stream:
                        reply = await self.streamed(messages, model, budget, progress)
                    else:
                        reply = await self.whole(messages, model, budget)
            except Exception as exc:
                span.set_attribute("error.type", type(exc).__name__)
                span.set_status(Status(StatusCode.ERROR, redact(str(exc), known=[self.settings.api_key])[:200]))
                span.record_exception(exc, attributes=exception_attributes(exc, known=[self.settings.api_key]))
                raise
            span.set_attributes(
                {
                    "gen_ai.response.finish_reasons": [reply.finish_reason],
                    "gen_ai.usage.input_tokens": reply.input_tokens,
                    "gen_ai.usage.output_tokens": reply.output_tokens,
                    "redline.cost_usd": cost_usd(model, reply.input_tokens, reply.output_tokens),
                }
            )
        return reply

    def request(self, messages: Messages, model: str, budget: float) -> dict[str, Any]:
        return {
            "model": model,
            "messages": messages,
            "max_tokens": self.settings.max_tokens,
            "temperature": self.settings.temperature,
            "timeout": budget,
        }

    async def streamed(self, messages: Messages, model: str, budget: float, progress: Progress | None) -> Reply:
        """A streamed call: tokens gathered as they arrive, ``progress`` awaited between them."""
        stream = await self.client.chat.completions.create(
            **self.request(messages, model, budget), stream=True, stream_options={"include_usage": True}
        )
        pieces: list[str] = []
        finish = ""
        usage = None
        last = self.clock()
        async with stream:
            async for chunk in stream:
                usage = chunk.usage or usage
                for choice in chunk.choices:
                    pieces.append((choice.delta.content or "") if choice.delta else "")
                    finish = choice.finish_reason or finish
                if progress is not None and self.clock() - last >= self.settings.progress_interval:
                    await progress()
                    last = self.clock()
        if not finish:
            raise ReplyIncomplete(f"the stream of model {model} ended without a finish reason")
        return reply_of("".join(pieces), finish, usage, messages)

    async def whole(self, messages: Messages, model: str, budget: float) -> Reply:
        """A call answered in one response."""
        response = await self.client.chat.completions.create(**self.request(messages, model, budget))
        if not response.choices or not response.choices[0].finish_reason:
            raise ReplyIncomplete(f"model {model} answered without a finished choice")
        choice = response.choices[0]
        return reply_of(choice.message.content or "", choice.finish_reason, response.usage, messages)


def reply_of(text: str, finish: str, usage: CompletionUsage | None, messages: Messages) -> Reply:
    """A reply with the server's token counts, or counts estimated offline when it reports none."""
    if usage is not None:
        return Reply(text, finish, usage.prompt_tokens or 0, usage.completion_tokens or 0)
    prompt = sum(count_tokens(m["content"]) for m in messages)
    return Reply(text, finish, prompt, count_tokens(text))


def classify(exc: Exception, model: str, settings: ModelSettings) -> Failure:
    """What a failed call means, with the model's error in words; the key, and any secret in the
    base URL or in the server's answer, redacted (``shared.redact``)."""
    failure = described(exc, model, settings)
    failure.reason = redact(failure.reason, known=[settings.api_key])
    return failure


def described(exc: Exception, model: str, settings: ModelSettings) -> Failure:
    """What a failed call means, with the model's error in words, as the client and server said it."""
    where = f"model {model} at {settings.base_url or 'the OpenAI API'}"
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        retryable = status in RETRYABLE_STATUS or status >= 500
        return Failure(retryable, f"{where} answered HTTP {status}: {error_text(exc)}", retry_after(exc.response.headers))
    if isinstance(exc, (openai.APITimeoutError, TimeoutError)):
        return Failure(True, f"{where} did not answer within {settings.timeout:g}s")
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc
        return Failure(True, f"cannot reach {where}: {type(cause).__name__}: {cause}")
    return Failure(True, f"{where} failed: {exc}")


def error_text(exc: openai.APIStatusError) -> str:
    """The server's own error message when its body has one, else the client's message."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)
    return exc.message


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a response asks to wait: ``retry-after-ms``, or ``Retry-After`` as seconds or an HTTP date."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None
