"""Submitting through a real nats-server: a finished task is answered from its stored result, a
task too large for one message is refused before upload."""

from __future__ import annotations

import pytest

from redline.client import SubmissionTooLarge, submit
from shared.bus import STREAM, Bus
from shared.events import TaskCompleted, TaskSubmitted

pytestmark = pytest.mark.nats


async def submissions(bus: Bus) -> int:
    info = await bus.js.stream_info(STREAM, subjects_filter=TaskSubmitted.event_type())
    return (info.state.subjects or {}).get(TaskSubmitted.event_type(), 0)


async def test_a_finished_task_is_answered_from_its_stored_result(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    done = TaskCompleted(task_id="done-1", report_version=2, stop_reason="passed", errors=0, artifacts=[])
    await bus.publish(done)
    answer = await submit(bus, "done-1", {"a.txt": b"new text"}, "q")
    uploaded = await bus.store.keys("done-1/")
    submitted = await submissions(bus)
    await bus.close()

    assert answer == done
    assert (uploaded, submitted) == ([], 0)


async def test_thousands_of_files_are_refused_before_anything_is_uploaded(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    files = {f"课程资料/第{i:04}讲 注意力机制/课堂讲义、讨论记录、课后阅读材料与习题解答（第二版，含图表）-{i:04}.txt": b"x" for i in range(3000)}
    with pytest.raises(SubmissionTooLarge, match=r"3000 source files listed.*at most 1\.05 MB per message"):
        await submit(bus, "many", files, "q")
    uploaded = await bus.store.keys("many/")
    await bus.close()

    assert uploaded == []


async def test_a_request_of_megabytes_is_refused_with_its_size(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    with pytest.raises(SubmissionTooLarge, match=r"a 2\.00 MB request"):
        await submit(bus, "long-request", {"a.txt": b"x"}, "字" * 666_667)
    await bus.close()

