"""bench.faults, reduced: every fault scenario and every hostile input once on one deployment (no
cluster, no load, smaller inputs)."""

from __future__ import annotations

import asyncio

import pytest

from bench.faults import QUICK, run

pytestmark = [pytest.mark.nats, pytest.mark.slow]

SCENARIOS = [
    "kill -9 ingest while it reads a large PDF",
    "a message that kills its service at every delivery",
    "kill -9 draft while a model reply streams",
    "kill -9 validate mid-message",
    "kill -9 compare while it writes artifacts",
    "kill -9 and restart nats-server mid-run",
    "duplicate submit of a folder and of its event",
    "slow consumer: a validator stalls past the ack wait",
    "events from the future or the past",
]


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    result = asyncio.run(run(QUICK, tmp_path_factory.mktemp("faults")))
    return {row.scenario: row for row in result["rows"]}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_task_ends_exactly_once_as_the_scenario_means(rows, scenario):
    row = rows[scenario]

    assert (row.lost, row.duplicated) == (0, 0), row
    assert (row.completed, row.failed) == row.expected, row.reasons


def test_each_unreadable_event_fails_its_task_with_what_is_wrong(rows):
    reasons = sorted(reason.split(": ", 1)[1] for reason in rows["events from the future or the past"].reasons)

    assert len(reasons) == 4
    assert all(reason.startswith("unreadable event on redline.task.submitted.v1: ") for reason in reasons)
    assert any("CloudEvents specversion '2.0'" in reason for reason in reasons)
    assert any("'redline.task.submitted.v2' does not match its subject" in reason for reason in reasons)


def test_every_hostile_input_gets_its_reason_in_a_task_that_ends_once(rows):
    hostile = [row for name, row in rows.items() if name.startswith("hostile input")]
    wrong = [f"{row.scenario}: {row.note}" for row in hostile if not row.held]

    assert len(hostile) >= 15
    assert wrong == []


def test_a_message_that_kills_its_service_every_time_fails_its_task_saying_so(rows):
    (reason,) = rows["a message that kills its service at every delivery"].reasons

    assert "gave up after 5 deliveries of redline.task.submitted.v1: the ingest service stopped" in reason
