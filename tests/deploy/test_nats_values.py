"""NATS Helm values: the cluster shape, and per-service users allowed exactly their subjects.

The live tests start nats-server with the values' accounts and drive the real bus code as
each user: what a service needs goes through, another service's subjects are refused.
"""

from __future__ import annotations

import asyncio
import importlib

import nats
import pytest

from redline.bootstrap import bootstrap
from redline.client import TaskWatcher, submit
from shared.bus import DEAD_LETTER, DENIED, STREAM, Bus
from shared.consumer import Consumer
from shared.errors import PermissionDenied
from shared.events import (
    EVENT_TYPES,
    Event,
    EvidenceReady,
    ObjectRef,
    ReportAccepted,
    RevisionRequested,
    TaskCompleted,
    TaskContext,
    TaskFailed,
)
from shared.settings import NatsSettings, ServiceSettings
from tests.deploy.natsconf import ConfiguredNats, password_of, users, values

SERVICES = ("ingest", "draft", "validate", "compare")
PUBLISHES = {
    "ingest": {"redline.evidence.ready.v1", "redline.task.failed.v1", "redline.deadletter"},
    "draft": {"redline.report.drafted.v1", "redline.report.revised.v2", "redline.task.failed.v1", "redline.deadletter"},
    "validate": {
        "redline.revision.requested.v2", "redline.report.accepted.v1", "redline.task.failed.v1", "redline.deadletter"
    },
    "compare": {"redline.task.completed.v1", "redline.task.failed.v1", "redline.deadletter"},
    "cli": {"redline.task.submitted.v1"},
}
CONSUMES = {
    "ingest": ["redline.task.submitted.v1"],
    "draft": ["redline.evidence.ready.v1", "redline.revision.requested.v2"],
    "validate": ["redline.report.drafted.v1", "redline.report.revised.v2"],
    "compare": ["redline.report.accepted.v1"],
}
OBJECT_WRITERS = {"ingest", "compare", "cli"}


def allowed(user: str, direction: str) -> set[str]:
    return set(users()[user]["permissions"][direction]["allow"])


def test_cluster_of_three_with_jetstream_on_file_and_monitoring():
    config = values()["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["enabled"]
    assert config["jetstream"]["fileStore"]["enabled"]
    assert config["monitor"] == {"enabled": True, "port": 8222}


def test_every_password_comes_from_the_users_secret():
    env = values()["container"]["env"]
    for user in users().values():
        variable = user["password"].removeprefix("<< $").removesuffix(" >>")
        assert env[variable]["valueFrom"]["secretKeyRef"]["name"] == "redline-nats-users"


@pytest.mark.parametrize("user", [*SERVICES, "cli"])
def test_event_subjects_are_exactly_the_users_own(user):
    events = {subject for subject in allowed(user, "publish") if subject.startswith("redline.")}
    assert events == PUBLISHES[user]


@pytest.mark.parametrize("user", SERVICES)
def test_services_subscribe_only_to_their_inbox_and_their_durables_advisory(user):
    advisory = f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{STREAM}.{user}"
    assert allowed(user, "subscribe") == {"_INBOX.>", advisory}


@pytest.mark.parametrize("user", SERVICES)
def test_stream_consumer_rights_name_only_the_services_durable(user):
    durable = importlib.import_module(f"services.{user}.app").DURABLE
    consumer_rights = {
        subject for subject in allowed(user, "publish") if ".CONSUMER." in subject and f".{STREAM}" in subject
    } | {subject for subject in allowed(user, "publish") if subject.startswith("$JS.ACK.")}
    assert consumer_rights == {
        f"$JS.API.CONSUMER.INFO.{STREAM}.{durable}",
        f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{durable}",
        f"$JS.ACK.{STREAM}.{durable}.>",
    }


@pytest.mark.parametrize("user", [*SERVICES, "cli"])
def test_only_admin_creates_updates_or_deletes_streams_and_consumers(user):
    for subject in allowed(user, "publish"):
        assert not any(f".{verb}." in subject for verb in ("UPDATE", "DELETE")), subject
        assert ".STREAM.CREATE." not in subject, subject
        assert ".DURABLE.CREATE." not in subject, subject
        assert not subject.startswith(f"$JS.API.CONSUMER.CREATE.{STREAM}"), subject


def test_admin_is_unrestricted():
    assert "permissions" not in users()["admin"]


@pytest.mark.parametrize("user", [*SERVICES, "cli"])
def test_only_writers_may_write_objects(user):
    assert ("$O.redline-objects.>" in allowed(user, "publish")) == (user in OBJECT_WRITERS)


@pytest.mark.parametrize("user", [*SERVICES, "cli"])
def test_only_services_write_statuses_and_purge_their_replaced_objects(user):
    rights = allowed(user, "publish")
    assert ("$KV.redline-status.>" in rights) == (user in SERVICES)
    assert ("$JS.API.STREAM.PURGE.OBJ_redline-objects" in rights) == (user in OBJECT_WRITERS - {"cli"})


@pytest.mark.parametrize("user", [*SERVICES, "cli"])
def test_no_blanket_wildcards(user):
    for subject in allowed(user, "publish"):
        assert subject not in {">", "redline.>", "$JS.>", "$JS.API.>", "$JS.API.CONSUMER.>", "$JS.API.STREAM.>"}


# --- live: nats-server with these users ------------------------------------------------------


SEED = b"x" * 200_000
EVENT_SUBJECTS = [*EVENT_TYPES, DEAD_LETTER]


async def prepare(server: ConfiguredNats) -> None:
    """Bootstrap as admin, then an object for the readers, put by the CLI as a submit uploads sources."""
    await bootstrap(NatsSettings(url=server.url(), user="admin", password=password_of("admin")))
    bus, _ = await connect(server, "cli")
    await bus.store.put("live-seed", SEED)
    await bus.close()


@pytest.fixture(scope="module")
def server():
    configured = ConfiguredNats()
    configured.start()
    try:
        asyncio.run(prepare(configured))
        yield configured
    finally:
        configured.stop()


def settings_of(server: ConfiguredNats, user: str) -> NatsSettings:
    return NatsSettings(url=server.url(), user=user, password=password_of(user))


async def connect(server: ConfiguredNats, user: str) -> tuple[Bus, list[str]]:
    errors: list[str] = []

    async def record(error: Exception) -> None:
        errors.append(str(error))

    return await Bus.connect(settings_of(server, user), f"/services/{user}", error_cb=record), errors


async def bind_durable(bus: Bus, durable: str):
    await bus.js.consumer_info(STREAM, durable)
    return await bus.js.pull_subscribe_bind(durable=durable, stream=STREAM)


@pytest.mark.nats
async def test_before_bootstrap_a_service_is_told_to_run_it():
    fresh = ConfiguredNats()
    fresh.start()
    try:
        with pytest.raises(PermissionDenied, match="run `redline bootstrap` as the admin user"):
            await asyncio.wait_for(Bus.connect(settings_of(fresh, "ingest"), "/services/ingest"), 3)
    finally:
        fresh.stop()


@pytest.mark.nats
@pytest.mark.parametrize("user", SERVICES)
async def test_a_service_does_its_whole_job_as_its_user(server, user):
    bus, errors = await connect(server, user)
    try:
        subscription = await bind_durable(bus, user)
        with pytest.raises(nats.errors.TimeoutError):
            await subscription.fetch(1, timeout=0.3)
        await subscription.unsubscribe()
        await bus.nc.subscribe(f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{STREAM}.{user}")
        await bus.publish(TaskFailed(task_id=f"live-{user}", stage=user, reason="test"))
        assert (await bus.status.get(f"live-{user}")).stage == "failed"
        assert (await bus.js.get_msg(STREAM, 1)).subject.startswith("redline.")
        if user in OBJECT_WRITERS:
            await bus.store.put(f"live-{user}", b"written")
        assert await bus.store.get("live-seed") == SEED
        assert errors == []
    finally:
        await bus.close()


@pytest.mark.nats
async def test_the_end_user_submits_follows_and_fetches(server):
    cli, errors = await connect(server, "cli")
    admin, _ = await connect(server, "admin")
    try:
        watcher = await TaskWatcher(cli, "live-cli").open()
        submitted = await submit(cli, "live-cli", {"a.txt": b"text"}, "q")
        await admin.publish(TaskCompleted(task_id="live-cli", report_version=1, stop_reason="s", errors=0, artifacts=[]))
        events = [event.type async for event in watcher.events(timeout=3)]
        await watcher.close()
        stages = [status.stage async for status in cli.status.follow("live-cli", timeout=3)]
        keys = await cli.store.keys("live-cli/")
        assert submitted.NAME == "task.submitted"
        assert stages[-1] == "completed"
        assert events == ["redline.task.submitted.v1", "redline.task.completed.v1"]
        assert keys == ["live-cli/sources/a.txt"]
        assert errors == []
    finally:
        await admin.close()
        await cli.close()


@pytest.mark.nats
async def test_a_message_is_fetched_and_acked_through_the_durable(server):
    cli, _ = await connect(server, "cli")
    ingest, errors = await connect(server, "ingest")
    try:
        await cli.js.publish("redline.task.submitted.v1", b"{}", stream=STREAM)
        subscription = await bind_durable(ingest, "ingest")
        (message,) = await subscription.fetch(1, timeout=2)
        await message.ack_sync(timeout=2)
        assert errors == []
    finally:
        await ingest.close()
        await cli.close()


def forbidden_publishes(user: str) -> set[str]:
    """Every subject ``user`` must not publish to: other identities' events, any change to the
    stream, the buckets or the durables, other durables' messages and acks, foreign writes."""
    subjects = {subject for subject in EVENT_SUBJECTS if subject not in PUBLISHES[user]}
    for stream in (STREAM, "KV_redline-status", "OBJ_redline-objects", "FORGED"):
        subjects |= {f"$JS.API.STREAM.{verb}.{stream}" for verb in ("CREATE", "UPDATE", "DELETE", "PURGE")}
    if user in OBJECT_WRITERS - {"cli"}:
        subjects.discard("$JS.API.STREAM.PURGE.OBJ_redline-objects")
    for durable in SERVICES:
        subjects |= {
            f"$JS.API.CONSUMER.DURABLE.CREATE.{STREAM}.{durable}",
            f"$JS.API.CONSUMER.CREATE.{STREAM}.{durable}",
            f"$JS.API.CONSUMER.DELETE.{STREAM}.{durable}",
        }
        if durable != user:
            subjects |= {
                f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{durable}",
                f"$JS.API.CONSUMER.INFO.{STREAM}.{durable}",
                f"$JS.ACK.{STREAM}.{durable}.1.1.1.1.1.1",
            }
    if user not in SERVICES:
        subjects.add("$KV.redline-status.someone-else")
    if user not in OBJECT_WRITERS:
        subjects.add("$O.redline-objects.M.Zm9yZ2Vk")
    return subjects


def forbidden_subscriptions(user: str) -> set[str]:
    found = {">", "$JS.>", "$JS.EVENT.ADVISORY.>", "$KV.redline-status.>", "$O.redline-objects.>"}
    others = {f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{STREAM}.{d}" for d in SERVICES if d != user}
    return found | others | {"redline.>"} if user in SERVICES else found | others


@pytest.mark.nats
@pytest.mark.parametrize("user", [*SERVICES, "cli"])
async def test_every_forbidden_publish_and_subscription_is_refused(server, user):
    errors: list[str] = []

    async def record(error: Exception) -> None:
        errors.append(str(error))

    nc = await nats.connect(server.url(), user=user, password=password_of(user), error_cb=record)
    try:
        publishes, subscriptions = forbidden_publishes(user), forbidden_subscriptions(user)
        for subject in sorted(publishes):
            await nc.publish(subject, b"{}")
        for subject in sorted(subscriptions):
            await nc.subscribe(subject)
        await nc.flush()
        async with asyncio.timeout(5):
            while len(errors) < len(publishes) + len(subscriptions):
                await asyncio.sleep(0.05)
    finally:
        await nc.close()
    denied = {(m.group(1).lower(), m.group(2).lower()) for m in map(DENIED.search, errors) if m}  # nats-py lowercases
    expected = {("publish", s.lower()) for s in publishes} | {("subscription", s.lower()) for s in subscriptions}
    assert denied == expected


@pytest.mark.nats
async def test_a_refused_publish_raises_permission_denied_at_once(server):
    bus, _ = await connect(server, "draft")
    try:
        with pytest.raises(PermissionDenied, match=r"redline.report.accepted.v1"):
            await asyncio.wait_for(bus.publish(accepted("live-refused")), 2)  # the request timeout is 5 s
    finally:
        await bus.close()


def accepted(task_id: str) -> ReportAccepted:
    context = TaskContext(query="q", evidence=ObjectRef(key="k", digest="d", size=0))
    return ReportAccepted(
        task_id=task_id, context=context, report_version=1, text="t", original_text="t", stop_reason="s",
        findings=[], rounds=[],
    )


@pytest.mark.nats
async def test_a_refused_output_fails_the_task_with_the_reason_and_is_not_redelivered(server):
    admin, _ = await connect(server, "admin")
    draft, _ = await connect(server, "draft")
    failures: list[Event] = []

    async def record(msg) -> None:
        failures.append(Event.model_validate_json(msg.data))

    await admin.nc.subscribe(TaskFailed.event_type(), cb=record)

    async def writes_the_wrong_event(data):
        return [accepted(data.task_id)]

    routes = {EvidenceReady.event_type(): writes_the_wrong_event, RevisionRequested.event_type(): writes_the_wrong_event}
    consumer = Consumer(draft, "draft", routes, ServiceSettings(ack_wait=2, max_deliver=3), stage="draft")
    await consumer.start()
    try:
        ready = EvidenceReady(task_id="live-wrong", context=accepted("x").context, units=0)
        await admin.publish(ready)
        async with asyncio.timeout(4):  # well inside one request timeout
            while not failures:
                await asyncio.sleep(0.05)
        await asyncio.sleep(2.5)  # past ack_wait: a message not settled would come back
        info = await admin.js.consumer_info(STREAM, "draft")
    finally:
        await consumer.stop()
        await draft.close()
        await admin.close()
    (failure,) = failures
    assert failure.payload().reason.startswith('permission denied: permissions violation for publish to "redline.report')
    assert (info.num_ack_pending, info.num_redelivered) == (0, 0)
