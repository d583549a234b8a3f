"""The whole chain through a real nats-server: the example task, duplicates, bad input, redelivery."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from redline.chain import LocalChain
from redline.client import TaskWatcher, submit
from redline.example import write_example
from redline.folder import collect_files, find_query
from redline.run import run_folder
from services.validate import app as validate_app
from services.validate.settings import Settings as ValidateSettings
from shared.bus import STREAM, Bus, event_headers
from shared.consumer import Consumer
from shared.embedded import EmbeddedNats
from shared.events import Event
from shared.service import wired
from shared.settings import NatsSettings

pytestmark = pytest.mark.nats

ARTIFACTS = {"original.md", "final.md", "comparison.txt", "findings.json", "events.jsonl", "trace.json"}
CHAIN_ORDER = ["task.submitted", "evidence.ready", "report.drafted"]


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> Path:
    """The bundled example, run once through an embedded server; the output folder."""
    root = tmp_path_factory.mktemp("example")
    folder = write_example(root / "example")
    query, _ = find_query(folder, None)
    out = root / "out"

    async def run():
        async with EmbeddedNats() as server:
            return await run_folder(folder, query, out, echo=lambda _: None, nats_settings=NatsSettings(url=server.url))

    result = asyncio.run(run())
    assert result.failure == ""
    return out


def read_events(out: Path) -> list[Event]:
    return [Event.model_validate_json(line) for line in (out / "events.jsonl").read_text().splitlines()]


def test_example_writes_every_artifact(example_run):
    assert {p.name for p in example_run.iterdir()} >= ARTIFACTS


def test_example_events_arrive_in_chain_order(example_run):
    names = [e.type.split(".", 1)[1].rsplit(".", 1)[0] for e in read_events(example_run)]

    assert names[:3] == CHAIN_ORDER
    assert names[-2:] == ["report.accepted", "task.completed"]


def test_example_spans_of_all_four_services_share_one_trace(example_run):
    trace = json.loads((example_run / "trace.json").read_text())
    spans = [s for rs in trace["resourceSpans"] for ss in rs["scopeSpans"] for s in ss["spans"]]
    services = {
        a["value"]["stringValue"] for s in spans for a in s["attributes"] if a["key"] == "redline.service"
    }

    assert {s["traceId"] for s in spans} == {spans[0]["traceId"]}
    assert {"ingest", "draft", "validate", "compare"} <= services


def test_example_comparison_is_in_the_reference_format(example_run):
    text = (example_run / "comparison.txt").read_text(encoding="utf-8")
    original = (example_run / "original.md").read_text(encoding="utf-8").strip()

    assert text.startswith("=" * 80 + "\nREPORT COMPARISON: ORIGINAL vs FINAL (After Validation)\n")
    assert f"Original report length: {len(original)} characters\n" in text


def test_example_findings_record_every_round(example_run):
    findings = json.loads((example_run / "findings.json").read_text())
    versions = [e.payload() for e in read_events(example_run) if e.type.startswith("redline.report.")]
    validated = {v.report_version for v in versions if hasattr(v, "writer")}

    assert {r["report_version"] for r in findings["rounds"]} == validated
    assert findings["stop_reason"]


async def run_tasks(settings: NatsSettings, tasks: dict[str, tuple[dict[str, bytes], str]], timeout=60.0):
    """Submit tasks to a running chain; each task's final event."""
    client = await Bus.connect(settings, source="/test")
    watchers = {t: await TaskWatcher(client, t).open() for t in tasks}
    for task_id, (files, query) in tasks.items():
        await submit(client, task_id, files, query)

    async def last(watcher):
        events = [e async for e in watcher.events(timeout)]
        return events

    results = dict(zip(tasks, await asyncio.gather(*(last(w) for w in watchers.values())), strict=False))
    await client.close()
    return results


def example_files(tmp_path: Path) -> tuple[dict[str, bytes], str]:
    folder = write_example(tmp_path / "example")
    return collect_files(folder), find_query(folder, None)[0]


async def test_duplicated_submission_makes_one_task(nats_settings, tmp_path):
    files, query = example_files(tmp_path)
    chain = await LocalChain().start(nats_settings)
    client = await Bus.connect(nats_settings, source="/test")
    watcher = await TaskWatcher(client, "dup").open()
    await submit(client, "dup", files, query)
    await submit(client, "dup", files, query)
    events = [e async for e in watcher.events(60)]
    await asyncio.sleep(0.5)
    stream = await client.js.stream_info(STREAM, subjects_filter="redline.task.submitted.v1")
    await client.close()
    await chain.stop()

    assert [e.type for e in events].count("redline.task.completed.v1") == 1
    assert stream.state.subjects == {"redline.task.submitted.v1": 1}


async def test_corrupt_pdf_fails_its_task_while_a_good_task_completes(nats_settings, tmp_path):
    good_files, query = example_files(tmp_path)
    chain = await LocalChain().start(nats_settings)
    results = await run_tasks(
        nats_settings,
        {"bad": ({"paper.pdf": b"%PDF-1.7\n1 0 obj broken"}, query), "good": (good_files, query)},
    )
    await chain.stop()

    bad, good = results["bad"][-1].payload(), results["good"][-1].payload()
    assert bad.NAME == "task.failed"
    assert bad.stage == "ingest"
    assert "paper.pdf" in bad.reason
    assert good.NAME == "task.completed"


async def test_killed_validator_replica_is_replaced_by_another(nats_settings, tmp_path):
    files, query = example_files(tmp_path)
    settings = ValidateSettings(ack_wait=1.5)
    chain = LocalChain()
    release = asyncio.Event()
    # The doomed replica takes the first report and hangs; its process "dies" (connection dropped).
    doomed_bus = await Bus.connect(nats_settings, source="/services/validate")
    taken = asyncio.Event()

    async def hang(data):
        taken.set()
        await release.wait()
        return []

    routes = {subject: hang for subject in wired(validate_app, doomed_bus.store)}
    doomed = Consumer(doomed_bus, validate_app.DURABLE, routes, settings, "validate")
    await doomed.start()
    await chain.start(nats_settings, skip=frozenset({"validate"}))
    client = await Bus.connect(nats_settings, source="/test")
    watcher = await TaskWatcher(client, "kill").open()
    await submit(client, "kill", files, query)
    await asyncio.wait_for(taken.wait(), 30)
    await doomed_bus.nc.close()
    survivor_bus = await Bus.connect(nats_settings, source="/services/validate")
    survivor = Consumer(survivor_bus, validate_app.DURABLE, wired(validate_app, survivor_bus.store), settings, "validate")
    await survivor.start()
    events = [e async for e in watcher.events(60)]
    info = await client.js.consumer_info(STREAM, validate_app.DURABLE)
    release.set()
    await survivor.stop()
    await survivor_bus.close()
    await client.close()
    await chain.stop()

    types = [e.type for e in events]
    reports = sum(t in ("redline.report.drafted.v1", "redline.report.revised.v2") for t in types)
    assert types.count("redline.report.accepted.v1") == 1
    assert types.count("redline.task.completed.v1") == 1
    assert info.delivered.consumer_seq == reports + 1  # the first report was delivered twice


async def test_a_finished_task_submitted_again_after_the_duplicate_window_is_not_run_again(nats_settings, tmp_path):
    files, query = example_files(tmp_path)
    chain = await LocalChain().start(nats_settings)
    client = await Bus.connect(nats_settings, source="/test")
    watcher = await TaskWatcher(client, "again").open()
    submitted = await submit(client, "again", files, query)
    events = [e async for e in watcher.events(60)]
    [status async for status in client.status.follow("again", timeout=5)]  # stored just after the event
    event = Event.wrap(submitted, "/test")  # the same event once the server's duplicate window has passed
    headers = event_headers(event) | {"Nats-Msg-Id": f"{event.id}:after-the-window"}
    await client.js.publish(event.type, event.model_dump_json().encode(), headers=headers, stream=STREAM)
    answer = await submit(client, "again", files, query)
    async with asyncio.timeout(10):
        while (info := await client.js.consumer_info(STREAM, "ingest")).ack_floor.stream_seq < 2 or info.num_pending:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    stream = await client.js.stream_info(STREAM, subjects_filter="redline.>")
    await client.close()
    await chain.stop()

    assert answer == events[-1].payload()
    assert stream.state.subjects["redline.task.submitted.v1"] == 2
    assert stream.state.subjects["redline.evidence.ready.v1"] == 1
    assert stream.state.subjects["redline.task.completed.v1"] == 1
