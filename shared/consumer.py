"""The pull loop of one service, and the one place where messages are settled.

Settle rules:
- success        → publish the handler's events, then ack;
- TransientError, or NATS unreachable for a moment (timeouts, no responders while a leader is
  elected, a connection being re-established: ``NATS_TRANSIENT``)
                 → nak with exponential backoff and jitter (or the error's retry-after);
                   on the last allowed delivery, term and publish task.failed instead;
- anything else  → term, and publish task.failed with a readable reason (poison); so is an
                   event that cannot be read (not JSON, an unknown type or schema version, a type
                   that is not its subject's) and a subject the server refuses to this user;
                   when task.failed itself cannot be published, the message is parked on
                   ``redline.deadletter`` with the reason in its headers: never redelivered in a loop;
- an event of a task that already ended (completed or failed) → ack, nothing runs again;
- a message the service died on (killed, or crashed in native code) on every delivery → once its
                   deliveries run out, the server's max-deliveries advisory makes any replica
                   publish task.failed: a crash loop is bounded and the task is not lost silently;
- long work      → ``in_progress()`` every third of ``ack_wait`` while the handler runs.

Shutdown: stop fetching, let in-flight messages finish (or be redelivered after the drain
timeout), unsubscribe; the caller then drains the connection.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from collections.abc import Awaitable, Callable

import nats.errors
import nats.js.errors
import structlog
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import TimeoutError as FetchTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.client import JetStreamContext
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from shared import metrics, taskid
from shared.bus import DEAD_LETTER, STREAM, Bus
from shared.errors import PermissionDenied, PoisonError, RedlineError, TransientError
from shared.events import Event, EventData, TaskFailed
from shared.health import Liveness
from shared.redact import exception_attributes, redact
from shared.retry import backoff_delay
from shared.settings import ServiceSettings
from shared.status import TERMINAL, TaskStatus, moves_forward
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

SPECVERSION = "1.0"

log = structlog.get_logger()

current_message: contextvars.ContextVar[Msg | None] = contextvars.ContextVar("current_message", default=None)


async def report_progress() -> None:
    """Tell the server the message being handled in this context is still in progress."""
    msg = current_message.get()
    if msg is not None:
        await msg.in_progress()


def readable(exc: BaseException) -> str:
    """One line that says what went wrong."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return redact(f"{type(exc).__name__}: {text}") if text else type(exc).__name__


def consumer_config(durable: str, subjects: list[str], settings: ServiceSettings) -> ConsumerConfig:
    """A service's durable: its subjects, ack wait, redeliveries, and how many messages may await
    an ack at once (back-pressure: the server sends no more until some are settled)."""
    return ConsumerConfig(
        durable_name=durable,
        filter_subjects=sorted(subjects),
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=settings.ack_wait,
        max_deliver=settings.max_deliver,
        max_ack_pending=max(64, settings.concurrency * 4),
    )


def read_event(subject: str, body: bytes) -> EventData:
    """The typed data of a message; ``ValueError`` naming what is wrong (not JSON, a CloudEvents
    version or event type this code does not know, a type that is not the message's subject, data
    that does not fit its type)."""
    event = Event.model_validate_json(body)
    if event.specversion.split(".")[0] != SPECVERSION.split(".")[0]:
        raise ValueError(f"CloudEvents specversion {event.specversion!r} is not {SPECVERSION}")
    if event.type != subject:
        raise ValueError(f"event type {event.type!r} does not match its subject")
    return event.payload()


class StaleDurable(RedlineError):
    """The service's durable exists with other subjects than this version consumes (an upgrade that
    changed an event's version before ``redline bootstrap`` ran): bound, it would wait for ever."""


def refuse_stale(config: ConsumerConfig, durable: str, subjects: list[str]) -> None:
    """Raise ``StaleDurable`` when the durable's ``config`` takes other subjects than ``subjects``."""
    single = [config.filter_subject] if config.filter_subject else []
    bound = sorted(config.filter_subjects or single)
    if bound != sorted(subjects):
        raise StaleDurable(
            f"durable {durable} takes {', '.join(bound) or 'every subject'}, but this version consumes "
            f"{', '.join(sorted(subjects))}: run `redline bootstrap` (as the admin user) to update it"
        )


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
        self._subscription: JetStreamContext.PullSubscription | None = None
        self._advisories: Subscription | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._stopping = asyncio.Event()

    def config(self) -> ConsumerConfig:
        """The durable's configuration; every replica of the service binds the same one."""
        return consumer_config(self.durable, list(self.routes), self.settings)

    async def start(self) -> None:
        """Bind the durable (creating it when missing, where this user may; refusing one that takes
        other subjects than ``routes``) and start fetching."""
        try:
            info = await self.bus.js.consumer_info(STREAM, self.durable)
        except nats.js.errors.NotFoundError:
            subject = f"$JS.API.CONSUMER.DURABLE.CREATE.{STREAM}.{self.durable}"
            await self.bus.unless_denied(subject, self.bus.js.add_consumer(STREAM, self.config()))
        else:
            refuse_stale(info.config, self.durable, list(self.routes))
        subscription = await self.bus.js.pull_subscribe_bind(durable=self.durable, stream=STREAM)
        try:
            self._advisories = await self.bus.nc.subscribe(
                f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{STREAM}.{self.durable}", cb=self._deliveries_ran_out
            )
        except BaseException:  # a start that is retried must not leave this subscription behind
            await subscription.unsubscribe()
            raise
        self._subscription = subscription
        self.bound = True
        self._loop_task = asyncio.create_task(self._fetch_loop(subscription), name=f"fetch-{self.durable}")

    async def _fetch_loop(self, subscription: JetStreamContext.PullSubscription) -> None:
        while not self._stopping.is_set():
            await self._slots.acquire()
            if self._stopping.is_set():
                self._slots.release()
                break
            try:
                messages = await subscription.fetch(1, timeout=1.0)
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
            data = read_event(msg.subject, msg.data)
        except ValueError as exc:
            task_id = (msg.headers or {}).get("ce-subject", "")
            await self._fail(msg, task_id, 0, f"unreadable event on {msg.subject}: {readable(exc)}")
            return
        event_id = (msg.headers or {}).get("ce-id", "")
        with tracer().start_as_current_span(
            f"{self.stage} {data.NAME}",
            context=extract_context(msg.headers),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": msg.subject,
                "messaging.message.id": event_id,
                "redline.service": self.stage,
                "redline.task_id": data.task_id,
                "redline.round": data.round,
            },
        ) as span, structlog.contextvars.bound_contextvars(task_id=data.task_id, round=data.round):
            await self._settle(msg, data, span)

    async def _settle(self, msg: Msg, data: EventData, span: Span) -> None:
        heartbeat = asyncio.create_task(self._heartbeat(msg))
        current_message.set(msg)
        started = time.perf_counter()
        denials = len(self.bus.denials)
        try:
            if await self._ended(data):
                log.info("task already ended; event not handled again", subject=msg.subject)
                await msg.ack()
                return
            outputs = await self.routes[msg.subject](data)
        except (TransientError, *NATS_TRANSIENT) as exc:
            metrics.record_failed(msg.subject, time.perf_counter() - started)
            deliveries = msg.metadata.num_delivered
            span.set_status(Status(StatusCode.ERROR, readable(exc)))
            if denial := self.bus.denied_since(denials):
                await self._fail(msg, data.task_id, data.round, f"permission denied: {denial}")
            elif deliveries >= self.settings.max_deliver:
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
        try:
            for output in outputs:
                await self.bus.publish(output)
                metrics.record_published(output)
        except PermissionDenied as exc:
            await self._fail(msg, data.task_id, data.round, str(exc))
            return
        except Exception:
            if denial := self.bus.denied_since(denials):
                await self._fail(msg, data.task_id, data.round, f"permission denied: {denial}")
                return
            raise
        await msg.ack()
        metrics.record_handled(msg.subject, time.perf_counter() - started)
        log.debug("handled", subject=msg.subject, published=[o.NAME for o in outputs])

    async def _ended(self, data: EventData) -> bool:
        """Whether the task already completed or failed; else mark the stage it is in now (the
        first stage of a task: the client does not write statuses)."""
        current = await self.bus.status.get(data.task_id)
        if current is not None and current.stage in TERMINAL:
            return True
        received = TaskStatus.after(data)
        if moves_forward(current, received):
            await self.bus.status.advance(received)
        return False

    async def _fail(self, msg: Msg, task_id: str, round_: int, reason: str) -> None:
        """Term the message and publish task.failed; park it on the dead-letter subject when the
        failure cannot be published as an event (no valid task id, a refused subject)."""
        log.error("task failed", stage=self.stage, reason=reason, task=task_id)
        try:
            if not taskid.is_valid(task_id):
                raise PoisonError(f"the message names no valid task id ({task_id[:80]!r})")
            await self.bus.publish(TaskFailed(task_id=task_id, round=round_, stage=self.stage, reason=reason))
        except NATS_TRANSIENT:
            raise
        except Exception as exc:
            await self._park(msg, f"{reason}; task.failed not published: {readable(exc)}")
        await msg.term()

    async def _park(self, msg: Msg, reason: str) -> None:
        """Copy the message to the dead-letter subject with the reason (best effort: logged when
        even that is refused)."""
        headers = {"redline-reason": reason[:1000], "redline-subject": msg.subject, "redline-stage": self.stage}
        log.error("message parked on the dead-letter subject", reason=reason)
        try:
            parked = self.bus.js.publish(DEAD_LETTER, msg.data, headers=headers, stream=STREAM)
            await self.bus.unless_denied(DEAD_LETTER, parked)
        except Exception as exc:
            log.error("message could not be parked; it is dropped", error=readable(exc))

    async def _deliveries_ran_out(self, advisory: Msg) -> None:
        """Fail the task of a message no delivery settled (the server sends no more)."""
        try:
            notice = json.loads(advisory.data)
            stored = await self.bus.js.get_msg(STREAM, notice["stream_seq"])
            task_id = (stored.headers or {}).get("ce-subject", "")
            if not taskid.is_valid(task_id) or await self._ended_already(task_id):
                return
            reason = (
                f"gave up after {notice['deliveries']} deliveries of {stored.subject}: the {self.stage} service "
                "stopped each time before it settled the message (killed, or crashed)"
            )
            log.error("task failed", stage=self.stage, reason=reason, task=task_id)
            await self.bus.publish(TaskFailed(task_id=task_id, stage=self.stage, reason=reason))
        except Exception as exc:  # best effort: an advisory is sent once
            log.error("could not fail the task of an exhausted message", error=readable(exc))

    async def _ended_already(self, task_id: str) -> bool:
        status = await self.bus.status.get(task_id)
        return status is not None and status.stage in TERMINAL

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
        if self._advisories:
            await self._advisories.unsubscribe()
        self.bound = False
