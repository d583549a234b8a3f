"""Versioned events of the chain, in a CloudEvents-shaped envelope.

Every event type is a pydantic model of its ``data``; ``Event`` wraps it with the envelope
attributes. The NATS subject is the type itself (``redline.report.drafted.v1``) and the id
is deterministic (``{task}:{name}:r{round}``), so it doubles as ``Nats-Msg-Id`` and a
republished event is dropped by the stream's duplicate window.

Evolution: a new optional field keeps the type; a breaking change is a new ``.v2`` model
published beside ``.v1`` until every consumer reads v2.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from shared import taskid
from shared.findings import Finding
from shared.requirements import Requirements
from shared.units import SourceMeta

PREFIX = "redline"


class ObjectRef(BaseModel):
    """A claim check: where a large payload sits in the object store."""

    key: str
    digest: str = Field(description="'SHA-256=' + base64url digest, as the object store reports it.")
    size: int


class SourceFile(BaseModel):
    """One user file uploaded for a task."""

    name: str = Field(description="Path relative to the task folder.")
    ref: ObjectRef


class TaskContext(BaseModel):
    """What every stage after ingest needs to know about the task."""

    query: str
    evidence: ObjectRef
    max_rounds: int = 3


class Usage(BaseModel):
    """Model tokens spent on one report version (zero for the offline writer)."""

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    model: str = ""
    cost_usd: float = Field(default=0.0, description="Estimated from a price table by model name; 0 when unknown.")
    finish_reasons: list[str] = Field(default_factory=list, description="One per call, in order.")
    continuations: int = Field(default=0, description="Calls that continued a reply cut at the token limit.")


Verdict = Literal["pass", "revise", "stop", "rejected"]


class RoundRecord(BaseModel):
    """What validation found in one report version and what it decided."""

    report_version: int
    chars: int
    errors: int
    warnings: int
    findings: list[Finding] = Field(default_factory=list)
    verdict: Verdict = Field(
        description="'pass': no error; 'revise': another round; 'stop': the loop ends with errors; "
        "'rejected': worse than its base, which is kept."
    )
    note: str = ""
    writer: str = Field(default="", description="Who wrote this version: 'offline-extractive' or the model.")
    usage: Usage = Field(default_factory=Usage, description="Model tokens and cost spent on this version.")
    writer_findings: list[Finding] = Field(default_factory=list, description="What the writer found and did.")
    text: str = Field(default="", description="The version's text, for what its round resolved.")


class LoopState(BaseModel):
    """The revision loop's state between rounds. The validator writes it (``services/validate/loop.py``);
    draft carries it from revision.requested into report.revised without reading it."""

    original_text: str = Field(description="The first draft's text.")
    rounds: list[RoundRecord] = Field(
        description="One record per version checked so far, in order, each with its text."
    )
    base_version: int = Field(description="The version being revised: the best so far.")
    next_version: int = Field(description="The number the revision gets.")

    def base(self) -> RoundRecord:
        """The record of the version being revised."""
        return next(r for r in self.rounds if r.report_version == self.base_version)


class EventData(BaseModel):
    """Base of every event's data: the task it belongs to and how far the loop has come."""

    NAME: ClassVar[str]
    VERSION: ClassVar[int] = 1

    task_id: str = Field(pattern=taskid.PATTERN, description="Safe for subjects, status keys and object names.")
    round: int = Field(
        default=0,
        description="The newest report version written when the event is published (0 before the first draft); "
        "with the event's name it makes the event id unique.",
    )

    @classmethod
    def event_type(cls) -> str:
        """The CloudEvents type, which is also the NATS subject."""
        return f"{PREFIX}.{cls.NAME}.v{cls.VERSION}"


class TaskSubmitted(EventData):
    NAME: ClassVar[str] = "task.submitted"
    title: str = Field(default="", description="The task's human name (its folder's name), shown beside the id.")
    query: str
    sources: list[SourceFile]
    max_rounds: int = 3
    multimodal: list[dict[str, Any]] = Field(default_factory=list, description="User descriptions of media files.")


class EvidenceReady(EventData):
    NAME: ClassVar[str] = "evidence.ready"
    context: TaskContext
    units: int
    sources: list[SourceMeta] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)


class ReportWritten(EventData):
    """Base of the events that bring a report version from draft: its text, and who wrote it at what cost."""

    context: TaskContext
    report_version: int
    text: str
    writer: str
    usage: Usage = Field(default_factory=Usage)
    writer_findings: list[Finding] = Field(
        default_factory=list,
        description="What the writer found and did: instructions inside sources, citations it removed, "
        "replies it had to reject.",
    )


class ReportDrafted(ReportWritten):
    NAME: ClassVar[str] = "report.drafted"
    report_version: int = 1


class RevisionRequested(EventData):
    NAME: ClassVar[str] = "revision.requested"
    VERSION: ClassVar[int] = 2
    context: TaskContext
    text: str = Field(description="The text to revise: version ``loop.base_version``, the best so far.")
    findings: list[Finding] = Field(description="What to fix in it.")
    loop: LoopState

    def revised(self, text: str, writer: str, usage: Usage, writer_findings: list[Finding]) -> ReportRevised:
        """The answer to this request: the revision's text with its author, the loop's state handed back."""
        return ReportRevised(
            task_id=self.task_id,
            round=self.loop.next_version,
            context=self.context,
            report_version=self.loop.next_version,
            text=text,
            writer=writer,
            usage=usage,
            writer_findings=writer_findings,
            loop=self.loop,
        )


class ReportRevised(ReportWritten):
    NAME: ClassVar[str] = "report.revised"
    VERSION: ClassVar[int] = 2
    loop: LoopState = Field(description="As revision.requested carried it: this version revises ``loop.base_version``.")


class ReportAccepted(EventData):
    NAME: ClassVar[str] = "report.accepted"
    context: TaskContext
    report_version: int
    text: str
    original_text: str
    stop_reason: str
    findings: list[Finding] = Field(description="Findings that remain in the accepted version.")
    rounds: list[RoundRecord]
    requirements: Requirements = Field(default_factory=Requirements, description="The parsed request, as checked.")


class TaskCompleted(EventData):
    NAME: ClassVar[str] = "task.completed"
    report_version: int
    stop_reason: str
    errors: int
    artifacts: list[ObjectRef]
    numbers: dict[str, Any] = Field(default_factory=dict, description="The comparison's numbers, as comparison.json has them.")


class TaskFailed(EventData):
    NAME: ClassVar[str] = "task.failed"
    stage: str
    reason: str


EVENT_TYPES: dict[str, type[EventData]] = {
    cls.event_type(): cls
    for cls in (
        TaskSubmitted,
        EvidenceReady,
        ReportDrafted,
        RevisionRequested,
        ReportRevised,
        ReportAccepted,
        TaskCompleted,
        TaskFailed,
    )
}


class Event(BaseModel):
    """The envelope: CloudEvents attributes around one event's data."""

    specversion: str = "1.0"
    id: str
    type: str
    source: str
    subject: str = Field(description="The task id.")
    time: datetime
    datacontenttype: str = "application/json"
    data: dict[str, Any]

    @classmethod
    def wrap(cls, data: EventData, source: str) -> Event:
        """Put ``data`` in an envelope with its deterministic id."""
        return cls(
            id=event_id(data.task_id, data.NAME, data.round),
            type=data.event_type(),
            source=source,
            subject=data.task_id,
            time=datetime.now(UTC),
            data=data.model_dump(mode="json"),
        )

    def payload(self) -> EventData:
        """The typed data of this event; raises ``ValueError`` for an unknown type or bad data."""
        model = EVENT_TYPES.get(self.type)
        if model is None:
            raise ValueError(f"unknown event type {self.type!r}")
        return model.model_validate(self.data)


def event_id(task_id: str, name: str, round_: int) -> str:
    """The deterministic id of the ``name`` event of a task in a round."""
    return f"{task_id}:{name}:r{round_}"


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every event type's data, keyed by type, plus the envelope's."""
    schemas = {name: model.model_json_schema() for name, model in EVENT_TYPES.items()}
    schemas["envelope"] = Event.model_json_schema()
    return schemas
