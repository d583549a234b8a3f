"""Task status moves only forward, by compare-and-set on a real key-value bucket."""

import pytest

from shared.bus import Bus
from shared.events import EvidenceReady, ObjectRef, ReportDrafted, TaskCompleted, TaskContext, TaskSubmitted
from shared.status import TaskStatus, moves_forward

CONTEXT = TaskContext(query="q", evidence=ObjectRef(key="k", digest="d", size=1))


def status(data) -> TaskStatus:
    return TaskStatus.after(data)


def test_later_stage_moves_forward():
    assert moves_forward(status(TaskSubmitted(task_id="t", query="q", sources=[])), status(EvidenceReady(task_id="t", context=CONTEXT, units=1)))


def test_earlier_stage_does_not_move_back():
    drafted = status(ReportDrafted(task_id="t", round=1, context=CONTEXT, text="x", writer="w"))

    assert not moves_forward(drafted, status(EvidenceReady(task_id="t", context=CONTEXT, units=1)))


def test_terminal_status_never_changes():
    done = status(TaskCompleted(task_id="t", round=2, report_version=2, stop_reason="passed", errors=0, artifacts=[]))

    assert not moves_forward(done, status(ReportDrafted(task_id="t", round=9, context=CONTEXT, text="x", writer="w")))


@pytest.mark.nats
async def test_redelivered_event_cannot_move_a_task_backwards(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.publish(TaskSubmitted(task_id="t", query="q", sources=[]))
    await bus.publish(ReportDrafted(task_id="t", round=1, context=CONTEXT, text="x", writer="w"))
    moved = await bus.status.advance(status(EvidenceReady(task_id="t", context=CONTEXT, units=1)))
    current = await bus.status.get("t")
    await bus.close()

    assert not moved
    assert (current.stage, current.round) == ("validate", 1)


@pytest.mark.nats
async def test_unknown_task_has_no_status(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    current = await bus.status.get("nope")
    await bus.close()

    assert current is None


async def test_an_id_no_task_can_have_is_unknown(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    status = await bus.status.get("中文 任务")
    await bus.close()

    assert status is None
