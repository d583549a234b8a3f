import pytest
from pydantic import ValidationError

from shared.events import (
    Event,
    EvidenceReady,
    LoopState,
    ObjectRef,
    RevisionRequested,
    RoundRecord,
    TaskContext,
    TaskFailed,
    Usage,
    event_id,
)
from shared.schema_export import FOLDER, rendered_schemas


def context() -> TaskContext:
    return TaskContext(query="q", evidence=ObjectRef(key="t/evidence.json", digest="SHA-256=x", size=1))


def test_exported_schemas_are_current():
    written = {p.name: p.read_text(encoding="utf-8") for p in FOLDER.glob("*.json")}

    assert written == rendered_schemas(), "run: python -m shared.schema_export"


def test_event_id_is_deterministic_per_task_type_and_round():
    data = EvidenceReady(task_id="005-a", context=context(), units=3)

    first, second = Event.wrap(data, "/services/ingest"), Event.wrap(data, "/services/ingest")

    assert first.id == second.id == event_id("005-a", "evidence.ready", 0) == "005-a:evidence.ready:r0"


def test_type_carries_name_and_major_version():
    assert TaskFailed.event_type() == "redline.task.failed.v1"


def test_payload_round_trips_through_json():
    data = EvidenceReady(task_id="t", context=context(), units=3, skipped=["a.zip"])
    event = Event.model_validate_json(Event.wrap(data, "/s").model_dump_json())

    assert event.payload() == data


def test_a_revision_answers_its_request_with_the_validators_version_and_the_loop_state_unchanged():
    record = RoundRecord(report_version=1, chars=2, errors=1, warnings=0, verdict="revise", text="v1")
    loop = LoopState(original_text="v1", rounds=[record], base_version=1, next_version=2)
    request = RevisionRequested(task_id="t", round=1, context=context(), text="v1", findings=[], loop=loop)

    revised = request.revised("v2", "w", Usage(calls=1), [])

    assert (revised.report_version, revised.round, revised.loop, revised.text) == (2, 2, loop, "v2")
    assert revised.loop.base() == record


def test_a_verdict_outside_the_four_is_refused():
    with pytest.raises(ValidationError, match="verdict"):
        RoundRecord(report_version=1, chars=0, errors=0, warnings=0, verdict="maybe")


def test_an_event_of_a_version_this_code_no_longer_reads_is_an_unknown_type():
    event = Event.wrap(TaskFailed(task_id="t", stage="x", reason="r"), "/s")
    old = event.model_copy(update={"type": "redline.revision.requested.v1"})

    with pytest.raises(ValueError, match=r"unknown event type 'redline\.revision\.requested\.v1'"):
        old.payload()


def test_unknown_type_is_rejected():
    event = Event.wrap(TaskFailed(task_id="t", stage="x", reason="r"), "/s").model_copy(update={"type": "redline.nope.v1"})

    with pytest.raises(ValueError, match="unknown event type"):
        event.payload()


def test_an_event_with_an_unsafe_task_id_is_refused():
    with pytest.raises(ValidationError, match="task_id"):
        TaskFailed(task_id="中文任务", stage="x", reason="r")
