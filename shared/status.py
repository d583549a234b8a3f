"""Task status in a key-value bucket, moved only forward by compare-and-set.

Each published event sets the task's stage. A status carries a rank (round, stage order);
an update whose rank is not higher than the stored one is ignored, so a redelivered or
late message cannot move a task backwards. Terminal states (completed, failed) never change,
and keep the terminal event's data, so a finished task can be answered from its stored result.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from nats.js.client import JetStreamContext
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue
from pydantic import BaseModel, Field

from shared import taskid
from shared.events import EventData

BUCKET = "redline-status"

STAGE_OF = {
    "task.submitted": "ingest",
    "evidence.ready": "draft",
    "report.drafted": "validate",
    "revision.requested": "revise",
    "report.revised": "validate",
    "report.accepted": "compare",
    "task.completed": "completed",
    "task.failed": "failed",
}
STAGE_ORDER = ["ingest", "draft", "revise", "validate", "compare", "completed", "failed"]
TERMINAL = {"completed", "failed"}


class TaskStatus(BaseModel):
    """Where a task is: the stage it waits on, its round, and the last event's summary."""

    task_id: str
    stage: str
    round: int
    detail: str = ""
    updated: datetime
    result: dict[str, Any] = Field(default_factory=dict, description="The data of task.completed or task.failed.")

    @property
    def rank(self) -> tuple[int, int, int]:
        terminal = 1 if self.stage in TERMINAL else 0
        return (terminal, self.round, STAGE_ORDER.index(self.stage))

    @classmethod
    def after(cls, data: EventData) -> TaskStatus:
        """The status a task has once ``data`` was published."""
        detail = getattr(data, "reason", "") or getattr(data, "stop_reason", "")
        stage = STAGE_OF[data.NAME]
        return cls(
            task_id=data.task_id,
            stage=stage,
            round=data.round,
            detail=detail,
            updated=datetime.now(UTC),
            result=data.model_dump(mode="json") if stage in TERMINAL else {},
        )


def moves_forward(current: TaskStatus | None, new: TaskStatus) -> bool:
    """Whether ``new`` may replace ``current``."""
    if current is None:
        return True
    if current.stage in TERMINAL:
        return False
    return new.rank > current.rank


class StatusBoard:
    """The status bucket."""

    def __init__(self, js: JetStreamContext, bucket: str = BUCKET) -> None:
        self._js = js
        self._bucket = bucket
        self._kv: KeyValue | None = None

    async def bind(self, replicas: int = 1) -> None:
        """Create the bucket with ``replicas`` if it does not exist, then bind to it."""
        try:
            self._kv = await self._js.key_value(self._bucket)
        except Exception:
            self._kv = await self._js.create_key_value(bucket=self._bucket, history=1, replicas=replicas)

    @property
    def kv(self) -> KeyValue:
        """The bound bucket; ``bind`` first."""
        if self._kv is None:
            raise RuntimeError("the status bucket is not bound: call bind() first")
        return self._kv

    async def get(self, task_id: str) -> TaskStatus | None:
        """The task's status, or None when the task is unknown (or its id could name no task)."""
        if not taskid.is_valid(task_id):
            return None
        try:
            entry = await self.kv.get(task_id)
        except KeyNotFoundError:
            return None
        return TaskStatus.model_validate_json(entry.value) if entry.value else None

    async def follow(self, task_id: str, timeout: float) -> AsyncIterator[TaskStatus]:
        """Yield the task's status each time it changes, until it is terminal (nothing for an id no task has)."""
        if not taskid.is_valid(task_id):
            return
        watcher = await self.kv.watch(task_id)
        try:
            while True:
                entry = await watcher.updates(timeout=timeout)
                if entry is None or not entry.value:
                    continue
                status = TaskStatus.model_validate_json(entry.value)
                yield status
                if status.stage in TERMINAL:
                    return
        finally:
            await watcher.stop()

    async def advance(self, new: TaskStatus, attempts: int = 5) -> bool:
        """Store ``new`` if it moves the task forward; compare-and-set, retried on a race."""
        for _ in range(attempts):
            try:
                entry = await self.kv.get(new.task_id)
                current = TaskStatus.model_validate_json(entry.value) if entry.value else None
                revision = entry.revision or 0
            except KeyNotFoundError:
                current, revision = None, 0
            if not moves_forward(current, new):
                return False
            try:
                await self.kv.update(new.task_id, new.model_dump_json().encode(), last=revision)
                return True
            except KeyWrongLastSequenceError:
                continue
        return False
