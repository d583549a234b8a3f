"""NATS Helm values: the cluster shape, and per-service users allowed exactly their subjects.

The live tests start nats-server with the values' accounts and drive the real bus code as
each user: what a service needs goes through, another service's subjects are refused.
"""

from __future__ import annotations

import asyncio
import importlib

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig

from shared.bus import STREAM, Bus
from shared.events import EvidenceReady, ReportAccepted, TaskFailed
from shared.settings import NatsSettings
from tests.deploy.natsconf import ConfiguredNats, password_of, users, values

SERVICES = ("ingest", "draft", "validate", "compare")
PUBLISHES = {
    "ingest": {"redline.evidence.ready.v1", "redline.task.failed.v1"},
    "draft": {"redline.report.drafted.v1", "redline.report.revised.v1", "redline.task.failed.v1"},
    "validate": {"redline.revision.requested.v1", "redline.report.accepted.v1", "redline.task.failed.v1"},
    "compare": {"redline.task.completed.v1", "redline.task.failed.v1"},
    "cli": {"redline.task.submitted.v1"},
}
CONSUMES = {
    "ingest": ["redline.task.submitted.v1"],
    "draft": ["redline.evidence.ready.v1", "redline.revision.requested.v1"],
    "validate": ["redline.report.drafted.v1", "redline.report.revised.v1"],
    "compare": ["redline.report.accepted.v1"],
}
OBJECT_WRITERS = {"ingest", "compare", "cli"}


def allowed(user: str, direction: str) -> set[str]:
    return set(users()[user]["permissions"][direction]["allow"])


def test_cluster_of_three_with_jetstream_on_file_and_monitoring():
    config = values()["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["enabled"] and config["jetstream"]["fileStore"]["enabled"]
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
def test_services_subscribe_only_to_their_inbox(user):
    assert allowed(user, "subscribe") == {"_INBOX.>"}


@pytest.mark.parametrize("user", SERVICES)
def test_stream_consumer_rights_name_only_the_services_durable(user):
    durable = importlib.import_module(f"services.{user}.app").DURABLE
    consumer_rights = {
        subject for subject in allowed(user, "publish") if ".CONSUMER." in subject and f".{STREAM}" in subject
    } | {subject for subject in allowed(user, "publish") if subject.startswith("$JS.ACK.")}
    assert consumer_rights == {
        f"$JS.API.CONSUMER.DURABLE.CREATE.{STREAM}.{durable}",
        f"$JS.API.CONSUMER.INFO.{STREAM}.{durable}",
        f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{durable}",
        f"$JS.ACK.{STREAM}.{durable}.>",
    }


@pytest.mark.parametrize("user", [*SERVICES, "cli"])
def test_only_writers_may_write_objects(user):
    writes = {"$O.redline-objects.>", "$JS.API.STREAM.PURGE.OBJ_redline-objects"}
    assert (writes <= allowed(user, "publish")) == (user in OBJECT_WRITERS)


@pytest.mark.parametrize("user", [*SERVICES, "cli"])
def test_no_blanket_wildcards(user):
    for subject in allowed(user, "publish"):
        assert subject not in {">", "redline.>", "$JS.>", "$JS.API.>", "$JS.API.CONSUMER.>", "$JS.API.STREAM.>"}


# --- live: nats-server with these users ------------------------------------------------------



SEED = b"x" * 200_000


async def seed(server: ConfiguredNats) -> None:
    """An object for the readers, put by the CLI the way a submit uploads sources."""
    bus, _ = await connect(server, "cli")
    await bus.store.put("live-seed", SEED)
    await bus.close()


@pytest.fixture(scope="module")
def server():
    configured = ConfiguredNats()
    configured.start()
    asyncio.run(seed(configured))
    yield configured
    configured.stop()


async def connect(server: ConfiguredNats, user: str) -> tuple[Bus, list[str]]:
    errors: list[str] = []

    async def record(error: Exception) -> None:
        errors.append(str(error))

    settings = NatsSettings(url=server.url(), user=user, password=password_of(user))
    return await Bus.connect(settings, f"/services/{user}", error_cb=record), errors


async def bind_durable(bus: Bus, durable: str, filters: list[str]):
    config = ConsumerConfig(durable_name=durable, filter_subjects=filters, ack_policy=AckPolicy.EXPLICIT)
    await bus.js.add_consumer(STREAM, config, timeout=2)
    return await bus.js.pull_subscribe_bind(durable=durable, stream=STREAM)


@pytest.mark.nats
@pytest.mark.parametrize("user", SERVICES)
async def test_a_service_does_its_whole_job_as_its_user(server, user):
    bus, errors = await connect(server, user)
    try:
        subscription = await bind_durable(bus, user, CONSUMES[user])
        with pytest.raises(nats.errors.TimeoutError):
            await subscription.fetch(1, timeout=0.3)
        await subscription.unsubscribe()
        await bus.publish(TaskFailed(task_id=f"live-{user}", stage=user, reason="test"))
        assert (await bus.status.get(f"live-{user}")).stage == "failed"
        if user in OBJECT_WRITERS:
            await bus.store.put(f"live-{user}", b"written")
        assert await bus.store.get("live-seed") == SEED
        assert errors == []
    finally:
        await bus.close()


@pytest.mark.nats
async def test_a_message_is_fetched_and_acked_through_the_durable(server):
    cli, _ = await connect(server, "cli")
    ingest, errors = await connect(server, "ingest")
    try:
        await cli.js.publish("redline.task.submitted.v1", b"{}", stream=STREAM)
        subscription = await bind_durable(ingest, "ingest", CONSUMES["ingest"])
        (message,) = await subscription.fetch(1, timeout=2)
        await message.ack_sync(timeout=2)
        assert errors == []
    finally:
        await ingest.close()
        await cli.close()


async def assert_denied(server: ConfiguredNats, user: str, action) -> None:
    """``action(bus)`` fails for ``user`` and the server reports a permissions violation."""
    bus, errors = await connect(server, user)
    try:
        with pytest.raises(Exception):
            await asyncio.wait_for(action(bus), 3)
        assert any("permissions violation" in error.lower() for error in errors)
    finally:
        await bus.close()


@pytest.mark.nats
async def test_a_service_cannot_publish_another_services_event(server):
    await assert_denied(
        server, "draft", lambda bus: bus.js.publish(ReportAccepted.event_type(), b"{}", stream=STREAM, timeout=1)
    )


@pytest.mark.nats
async def test_a_service_cannot_take_another_services_durable(server):
    await assert_denied(server, "validate", lambda bus: bind_durable(bus, "compare", CONSUMES["compare"]))


@pytest.mark.nats
async def test_a_reader_cannot_write_objects(server):
    await assert_denied(server, "validate", lambda bus: bus.store.put("forged", b"x"))


@pytest.mark.nats
async def test_the_cli_cannot_publish_service_events(server):
    await assert_denied(
        server, "cli", lambda bus: bus.js.publish(EvidenceReady.event_type(), b"{}", stream=STREAM, timeout=1)
    )
