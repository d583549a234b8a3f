"""The settle rules against a real nats-server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest
from nats.js.api import ConsumerConfig

from shared.bus import DEAD_LETTER, STREAM, Bus
from shared.consumer import Consumer, StaleDurable, refuse_stale
from shared.errors import PoisonError, TransientError
from shared.events import Event, EventData, TaskFailed, TaskSubmitted
from shared.settings import ServiceSettings

pytestmark = pytest.mark.nats

SUBMITTED = TaskSubmitted.event_type()


def submitted(task_id: str = "t1") -> TaskSubmitted:
    return TaskSubmitted(task_id=task_id, query="q", sources=[])


def failed(task_id: str, reason: str) -> TaskFailed:
    return TaskFailed(task_id=task_id, stage="test", reason=reason)


class Recorder:
    """Collects every event published on the stream, via a core subscription."""

    def __init__(self) -> None:
        self.events: list[EventData] = []
        self.changed = asyncio.Event()

    async def attach(self, bus: Bus) -> Recorder:
        async def receive(msg):
            from shared.events import Event

            self.events.append(Event.model_validate_json(msg.data).payload())
            self.changed.set()

        await bus.nc.subscribe("redline.>", cb=receive)
        return self

    def named(self, name: str) -> list[EventData]:
        return [e for e in self.events if name == e.NAME]

    async def wait_for(self, name: str, count: int = 1, timeout: float = 10.0) -> list[EventData]:
        async def enough():
            while len(self.named(name)) < count:
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(enough(), timeout)
        return self.named(name)


def recording() -> tuple[list, Callable]:
    """A handler that records the data of each call and publishes nothing, with its record."""
    calls: list = []

    async def handler(data):
        calls.append(data)
        return []

    return calls, handler


async def consumer(bus: Bus, handler, subject: str = SUBMITTED, **settings) -> Consumer:
    options = {"ack_wait": 2.0, "max_deliver": 3, "drain_timeout": 5.0} | settings
    c = Consumer(bus, "test", {subject: handler}, ServiceSettings(**options), stage="test")
    await c.start()
    return c


async def test_success_publishes_outputs_then_acks(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)

    async def handler(data):
        return [failed(data.task_id, "handled")]

    c = await consumer(bus, handler)
    await bus.publish(submitted())
    [out] = await recorder.wait_for("task.failed")
    await asyncio.sleep(0.2)
    info = await bus.js.consumer_info(STREAM, "test")
    await c.stop()
    await bus.close()

    assert out.reason == "handled"
    assert info.num_ack_pending == 0
    assert info.num_pending == 0


async def test_republished_event_is_dropped_by_the_duplicate_window(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.publish(submitted())
    await bus.publish(submitted())
    info = await bus.js.stream_info(STREAM)
    await bus.close()

    assert info.state.messages == 1


async def retried_after_first_failure(nats_settings, fail) -> tuple[int, str]:
    """Handler calls and the reason of the handler's output, when its first call runs ``fail(bus)``."""
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)
    calls = []

    async def handler(data):
        calls.append(1)
        if len(calls) == 1:
            await fail(bus)
        return [failed(data.task_id, "second try")]

    c = await consumer(bus, handler)
    await bus.publish(submitted())
    [out] = await recorder.wait_for("task.failed")
    await c.stop()
    await bus.close()
    return len(calls), out.reason


async def test_transient_failure_is_retried(nats_settings):
    async def model_unavailable(bus):
        raise TransientError("model answered 503", retry_after=0.1)

    assert await retried_after_first_failure(nats_settings, model_unavailable) == (2, "second try")


async def test_a_nats_request_nobody_answers_is_retried_not_poison(nats_settings):
    async def nobody_answers(bus):
        await bus.nc.request("nobody.answers.here", b"", timeout=0.05)

    assert await retried_after_first_failure(nats_settings, nobody_answers) == (2, "second try")


async def test_transient_failure_on_the_last_delivery_fails_the_task(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)

    async def handler(data):
        raise TransientError("model answered 429", retry_after=0.05)

    c = await consumer(bus, handler, max_deliver=2)
    await bus.publish(submitted())
    [out] = await recorder.wait_for("task.failed")
    await c.stop()
    await bus.close()

    assert out.reason == "gave up after 2 attempts: TransientError: model answered 429"


async def test_poison_is_terminated_with_a_readable_reason(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)
    calls = []

    async def handler(data):
        calls.append(1)
        raise PoisonError("paper.pdf is not a readable PDF")

    c = await consumer(bus, handler)
    await bus.publish(submitted())
    [out] = await recorder.wait_for("task.failed")
    await asyncio.sleep(2.5)  # past ack_wait: a terminated message is not redelivered
    await c.stop()
    await bus.close()

    assert out.reason == "PoisonError: paper.pdf is not a readable PDF"
    assert out.stage == "test"
    assert len(calls) == 1


async def test_unreadable_message_fails_its_task(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)

    async def handler(data):
        return []

    c = await consumer(bus, handler)
    await bus.js.publish(SUBMITTED, b"{not json", headers={"ce-subject": "t9"})
    [out] = await recorder.wait_for("task.failed")
    await c.stop()
    await bus.close()

    assert out.task_id == "t9"
    assert out.reason.startswith("unreadable event on redline.task.submitted.v1")


async def test_event_with_an_unsafe_task_id_is_terminated_not_redelivered(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    calls = []

    async def handler(data):
        calls.append(1)
        return []

    c = await consumer(bus, handler)
    envelope = Event.wrap(submitted(), "/test").model_dump(mode="json")
    envelope["data"]["task_id"] = envelope["subject"] = "中文 任务"
    await bus.js.publish(SUBMITTED, json.dumps(envelope).encode(), headers={"ce-subject": "中文 任务"})
    await asyncio.sleep(2.5)  # past ack_wait: a terminated message is not redelivered
    info = await bus.js.consumer_info(STREAM, "test")
    await c.stop()
    await bus.close()

    assert calls == []
    assert info.num_ack_pending == 0
    assert info.num_redelivered == 0
    assert info.delivered.consumer_seq == 1


async def test_long_handler_keeps_its_message_with_heartbeats(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)
    calls = []

    async def handler(data):
        calls.append(1)
        await asyncio.sleep(2.5)  # longer than ack_wait (1 s)
        return [failed(data.task_id, "slow")]

    c = await consumer(bus, handler, ack_wait=1.0, concurrency=2)
    await bus.publish(submitted())
    await recorder.wait_for("task.failed")
    await asyncio.sleep(1.5)
    await c.stop()
    await bus.close()

    assert len(calls) == 1


async def test_stop_lets_in_flight_work_finish(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)
    started = asyncio.Event()

    async def handler(data):
        started.set()
        await asyncio.sleep(0.5)
        return [failed(data.task_id, "finished")]

    c = await consumer(bus, handler)
    await bus.publish(submitted())
    await started.wait()
    await c.stop()
    await asyncio.sleep(0.1)
    info = await bus.js.consumer_info(STREAM, "test")
    await bus.close()

    assert [e.reason for e in recorder.named("task.failed")] == ["finished"]
    assert info.num_ack_pending == 0


def envelope(task_id: str, **changes) -> bytes:
    """A task.submitted envelope for ``task_id`` with some attributes changed."""
    event = Event.wrap(submitted(task_id), "/test").model_dump(mode="json") | changes
    return json.dumps(event).encode()


FROM_THE_FUTURE_OR_THE_PAST = {
    "unknown type": ({"type": "redline.task.exploded.v1"}, "does not match its subject"),
    "newer version of the type": ({"type": "redline.task.submitted.v2"}, "does not match its subject"),
    "newer CloudEvents version": ({"specversion": "2.0"}, "CloudEvents specversion '2.0' is not 1.0"),
    "data of another shape": ({"data": {"task_id": "x", "query": 3, "sources": "none"}}, "validation error"),
    "no data": ({"data": None}, "validation error"),
}


@pytest.mark.parametrize("case", sorted(FROM_THE_FUTURE_OR_THE_PAST))
async def test_an_event_this_code_cannot_read_fails_its_task_once(nats_settings, case):
    changes, reason = FROM_THE_FUTURE_OR_THE_PAST[case]
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)
    calls, handler = recording()
    c = await consumer(bus, handler)
    await bus.js.publish(SUBMITTED, envelope("t-odd", **changes), headers={"ce-subject": "t-odd"}, stream=STREAM)
    [out] = await recorder.wait_for("task.failed")
    await asyncio.sleep(2.5)  # past ack_wait: an unsettled message would be delivered again
    info = await bus.js.consumer_info(STREAM, "test")
    await c.stop()
    await bus.close()

    assert out.task_id == "t-odd"
    assert reason in out.reason
    assert calls == []
    assert (info.num_ack_pending, info.num_redelivered, len(recorder.named("task.failed"))) == (0, 0, 1)


async def test_an_event_of_a_retired_version_on_a_durable_still_filtering_it_fails_its_task_once(nats_settings):
    retired = "redline.revision.requested.v1"
    bus = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(bus)
    calls, handler = recording()
    c = await consumer(bus, handler, subject=retired)
    old = envelope("t-old", type=retired, data={"task_id": "t-old", "round": 1, "original_text": "x", "rounds": []})
    await bus.js.publish(retired, old, headers={"ce-subject": "t-old"}, stream=STREAM)
    [out] = await recorder.wait_for("task.failed")
    await c.stop()
    await bus.close()

    assert out.task_id == "t-old"
    assert calls == []
    assert out.reason.startswith(f"unreadable event on {retired}: ValueError: unknown event type '{retired}'")


async def test_a_message_naming_no_task_is_parked_with_its_reason_and_the_next_one_runs(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    parked = []

    async def park(msg):
        parked.append(msg)

    await bus.nc.subscribe(DEAD_LETTER, cb=park)
    recorder = await Recorder().attach(bus)

    async def handler(data):
        return [failed(data.task_id, "handled")]

    c = await consumer(bus, handler)
    await bus.js.publish(SUBMITTED, b"\xff garbage", stream=STREAM)
    await bus.publish(submitted("t-next"))
    [out] = await recorder.wait_for("task.failed")
    await asyncio.sleep(2.5)
    info = await bus.js.consumer_info(STREAM, "test")
    await c.stop()
    await bus.close()

    (dead,) = parked
    assert dead.data == b"\xff garbage"
    assert dead.headers["redline-subject"] == SUBMITTED
    assert dead.headers["redline-reason"].startswith("unreadable event on redline.task.submitted.v1")
    assert out.task_id == "t-next"
    assert (info.num_ack_pending, info.num_redelivered) == (0, 0)


async def test_an_event_of_a_task_that_already_ended_is_acked_without_running(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    calls, handler = recording()
    c = await consumer(bus, handler)
    await bus.publish(failed("t-ended", "earlier"))
    await bus.js.publish(SUBMITTED, envelope("t-ended"), headers={"ce-subject": "t-ended"}, stream=STREAM)
    async with asyncio.timeout(5):
        while (await bus.js.consumer_info(STREAM, "test")).delivered.stream_seq == 0:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    info = await bus.js.consumer_info(STREAM, "test")
    await c.stop()
    await bus.close()

    assert calls == []
    assert info.num_ack_pending == 0
    assert info.ack_floor.stream_seq == info.delivered.stream_seq


async def test_a_task_taken_by_its_first_stage_shows_that_stage(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    started = asyncio.Event()
    release = asyncio.Event()

    async def handler(data):
        started.set()
        await release.wait()
        return []

    c = await consumer(bus, handler)
    await bus.publish(submitted("t-first"), advance=False)
    await asyncio.wait_for(started.wait(), 5)
    status = await bus.status.get("t-first")
    release.set()
    await c.stop()
    await bus.close()

    assert status.stage == "ingest"


async def test_a_message_every_replica_dies_on_fails_its_task_when_its_deliveries_run_out(nats_settings):
    survivor = await Bus.connect(nats_settings, source="/test")
    recorder = await Recorder().attach(survivor)
    taken, release = asyncio.Event(), asyncio.Event()

    async def dies_on_it(data):
        taken.set()
        await release.wait()

    async def never_called(data):
        raise AssertionError("the message was delivered more often than allowed")

    for _ in range(2):  # max_deliver 2: two replicas take the message and die holding it
        doomed = await Bus.connect(nats_settings, source="/test")
        await consumer(doomed, dies_on_it, ack_wait=1.0, max_deliver=2)
        if not recorder.named("task.submitted"):
            await survivor.publish(submitted("t-crash"))
        await asyncio.wait_for(taken.wait(), 10)
        taken.clear()
        await doomed.nc.close()
    alive = await consumer(survivor, never_called, ack_wait=1.0, max_deliver=2)
    [out] = await recorder.wait_for("task.failed", timeout=10)
    release.set()
    await alive.stop()
    await survivor.close()

    assert out.task_id == "t-crash"
    assert out.stage == "test"
    assert out.reason.startswith("gave up after 2 deliveries of redline.task.submitted.v1: the test service stopped")


def test_a_durable_taking_the_same_subjects_in_another_order_is_not_stale():
    config = ConsumerConfig(durable_name="draft", filter_subjects=["b.v1", "a.v2"])

    refuse_stale(config, "draft", ["a.v2", "b.v1"])


def test_a_durable_taking_one_subject_of_another_version_is_stale():
    config = ConsumerConfig(durable_name="draft", filter_subject="a.v1")

    with pytest.raises(StaleDurable, match=r"durable draft takes a\.v1, but this version consumes a\.v2"):
        refuse_stale(config, "draft", ["a.v2"])
