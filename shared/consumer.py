"""The pull loop of one service, and the one place where messages are settled.

Settle rules:
- success        → publish the handler's events, then ack;
- TransientError, or NATS unreachable for a moment (timeouts, no responders while a leader is
  elected, a connection being re-established: ``NATS_TRANSIENT``)
                 → nak with exponential backoff and jitter (or the error's retry-after);
                   on the last allowed delivery, term and publish task.failed instead;
- anything else  → term, and publish task.failed with a readable reason (poison);
- long work      → ``in_progress()`` every third of ``ack_wait`` while the handler runs.

Shutdown: stop fetching, let in-flight messages finish (or be redelivered after the drain
timeout), unsubscribe; the caller then drains the connection.
"""

from __future__ import annotations

import asyncio
import contextvars
import random
import time
from collections.abc import Awaitable, Callable

import nats.errors
import nats.js.errors
import structlog
from nats.aio.msg import Msg
from nats.errors import TimeoutError as FetchTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry.trace import SpanKind, Status, StatusCode

from shared import metrics, taskid
from shared.bus import STREAM, Bus
from shared.errors import TransientError
from shared.events import Event, EventData, TaskFailed
from shared.health import Liveness
from shared.redact import exception_attributes, redact
from shared.settings import ServiceSettings
from shared.telemetry import extract_context, tracer

Handler = Callable[[EventData], Awaitable[list[EventData]]]

NATS_TRANSIENT = (
    nats.errors.TimeoutError,
    nats.errors.NoRespondersError,
    nats.errors.StaleConnectionError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.OutboundBufferLimitError,
    nats.js.errors.NoStreamResponseError,
    nats.js.errors.ServiceUnavailableError,
    nats.js.errors.ServerError,
)
"""NATS errors a handler may meet while a node restarts or a leader is elected: retried, not poison."""

log = structlog.get_logger()

current_message: contextvars.ContextVar[Msg | None] = contextvars.ContextVar("current_message", default=None)


async def report_progress() -> None:
    """Tell the server the message being handled in this context is still in progress."""
    msg = current_message.get()
    if msg is not None:
        await msg.in_progress()


def backoff_delay(deliveries: int, retry_after: float | None = None, cap: float = 30.0) -> float:
    """Seconds to wait before delivery ``deliveries + 1``: exponential with jitter, or retry-after."""
    if retry_after is not None:
        return min(retry_after, cap)
    base = min(cap, 0.5 * 2 ** max(0, deliveries - 1))
    return base * random.uniform(0.5, 1.0)


def readable(exc: BaseException) -> str:
    """One line that says what went wrong."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return redact(f"{type(exc).__name__}: {text}") if text else type(exc).__name__


class Consumer:
    """Binds a durable pull consumer and runs handlers for its subjects."""

    def __init__(
        self,
        bus: Bus,
        durable: str,
        routes: dict[str, Handler],
        settings: ServiceSettings,
        stage: str,
    ) -> None:
        self.bus = bus
        self.durable = durable
        self.routes = routes
        self.settings = settings
        self.stage = stage
        self.liveness = Liveness(window=max(60.0, settings.ack_wait * 2))
        self.bound = False
        self._subscription = None
        self._loop_task: asyncio.Task | None = None
        self._in_flight: set[asyncio.Task] = set()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._stopping = asyncio.Event()

    def config(self) -> ConsumerConfig:
        """The durable's configuration; every replica of the service binds the same one."""
        return ConsumerConfig(
            durable_name=self.durable,
            filter_subjects=sorted(self.routes),
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.settings.ack_wait,
            max_deliver=self.settings.max_deliver,
            max_ack_pending=max(64, self.settings.concurrency * 4),
        )

    async def start(self) -> None:
        """Create (or update) the durable and start fetching."""
        await self.bus.js.add_consumer(STREAM, self.config())
        self._subscription = await self.bus.js.pull_subscribe_bind(durable=self.durable, stream=STREAM)
        self.bound = True
        self._loop_task = asyncio.create_task(self._fetch_loop(), name=f"fetch-{self.durable}")

    async def _fetch_loop(self) -> None:
        while not self._stopping.is_set():
            await self._slots.acquire()
            if self._stopping.is_set():
                self._slots.release()
                break
            try:
                messages = await self._subscription.fetch(1, timeout=1.0)
            except FetchTimeout:
                self._slots.release()
                self.liveness.beat()
                continue
            except Exception as exc:  # connection trouble: keep looping while the client reconnects
                self._slots.release()
                if self._stopping.is_set() or self.bus.nc.is_closed:
                    break
                log.warning("fetch failed", durable=self.durable, error=readable(exc))
                await asyncio.sleep(0.5)
                continue
            self.liveness.beat()
            for msg in messages:
                task = asyncio.create_task(self._run(msg))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)

    async def _run(self, msg: Msg) -> None:
        try:
            await self.handle(msg)
        except Exception as exc:  # publishing or settling failed: the server redelivers after ack_wait
            log.warning("could not settle message; it will be redelivered", error=readable(exc))
        finally:
            self._slots.release()

    async def handle(self, msg: Msg) -> None:
        """Run the handler for one message and settle it."""
        try:
            event = Event.model_validate_json(msg.data)
            data = event.payload()
        except ValueError as exc:
            task_id = (msg.headers or {}).get("ce-subject", "")
            await self._fail(msg, task_id, 0, f"unreadable event on {msg.subject}: {readable(exc)}")
            return
        with tracer().start_as_current_span(
            f"{self.stage} {data.NAME}",
            context=extract_context(msg.headers),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": msg.subject,
                "messaging.message.id": event.id,
                "redline.service": self.stage,
                "redline.task_id": data.task_id,
                "redline.round": data.round,
            },
        ) as span:
            with structlog.contextvars.bound_contextvars(task_id=data.task_id, round=data.round):
                await self._settle(msg, data, span)

    async def _settle(self, msg: Msg, data: EventData, span) -> None:
        heartbeat = asyncio.create_task(self._heartbeat(msg))
        current_message.set(msg)
        started = time.perf_counter()
        try:
            outputs = await self.routes[msg.subject](data)
        except (TransientError, *NATS_TRANSIENT) as exc:
            metrics.record_failed(msg.subject, time.perf_counter() - started)
            deliveries = msg.metadata.num_delivered
            span.set_status(Status(StatusCode.ERROR, readable(exc)))
            if deliveries >= self.settings.max_deliver:
                await self._fail(msg, data.task_id, data.round, f"gave up after {deliveries} attempts: {readable(exc)}")
            else:
                delay = backoff_delay(deliveries, getattr(exc, "retry_after", None))
                log.warning("transient failure, retrying", error=readable(exc), delay=round(delay, 2))
                await msg.nak(delay=delay)
            return
        except Exception as exc:
            metrics.record_failed(msg.subject, time.perf_counter() - started)
            span.set_status(Status(StatusCode.ERROR, readable(exc)))
            span.record_exception(exc, attributes=exception_attributes(exc))
            await self._fail(msg, data.task_id, data.round, readable(exc))
            return
        finally:
            heartbeat.cancel()
        for output in outputs:
            await self.bus.publish(output)
            metrics.record_published(output)
        await msg.ack()
        metrics.record_handled(msg.subject, time.perf_counter() - started)
        log.debug("handled", subject=msg.subject, published=[o.NAME for o in outputs])

    async def _fail(self, msg: Msg, task_id: str, round_: int, reason: str) -> None:
        log.error("task failed", stage=self.stage, reason=reason, task=task_id)
        if taskid.is_valid(task_id):
            await self.bus.publish(TaskFailed(task_id=task_id, round=round_, stage=self.stage, reason=reason))
        await msg.term()

    def live(self) -> bool:
        """The fetch loop made progress recently."""
        return self.liveness.live()

    def ready(self) -> bool:
        """Connected to NATS, with the stream and the durable bound."""
        return self.bound and self.bus.nc.is_connected

    async def _heartbeat(self, msg: Msg) -> None:
        interval = self.settings.ack_wait / 3
        while True:
            await asyncio.sleep(interval)
            await msg.in_progress()

    async def stop(self) -> None:
        """Stop fetching, wait for in-flight work up to the drain timeout, unsubscribe."""
        self._stopping.set()
        if self._loop_task:
            self._slots.release()
            await self._loop_task
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=self.settings.drain_timeout)
        if self._subscription:
            await self._subscription.unsubscribe()
        self.bound = False
