"""bench.cluster, reduced: a 3-node NATS cluster with the services as separate processes."""

from __future__ import annotations

import pytest

from bench.cluster import Plan, example_workload, node_failure, throughput, validator_failure
from redline.example import write_example

pytestmark = [pytest.mark.nats, pytest.mark.slow]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return example_workload(tmp_path_factory.mktemp("example") / "example")


@pytest.fixture
def logs(tmp_path):
    path = tmp_path / "logs"
    path.mkdir()
    return path


async def test_throughput_is_measured_for_each_validator_count_on_replicated_storage(example, logs):
    result = await throughput(Plan(validators=(1, 2), drafts=8, repeats=1), example, logs)

    assert [run["validators"] for run in result["runs"]] == [1, 2]
    assert all(run["per_second"] > 0 for run in result["runs"])
    assert result["replicas"] == {"stream": 3, "status": 3, "objects": 3}


async def test_every_task_completes_exactly_once_when_the_stream_leader_node_is_killed(logs, tmp_path):
    result = await node_failure(Plan(tasks=3), logs, write_example(tmp_path / "example"))

    outcome = (result["completed_once"], result["completed_twice_or_more"], result["lost"], result["failed"])
    assert outcome == (3, 0, 0, 0), result["failures"]


async def test_a_message_held_by_a_killed_validator_is_redelivered_and_completed(example, logs):
    result = await validator_failure(Plan(), logs, example)

    assert result["ack_pending_when_killed"] == 1
    assert (result["redeliveries"], result["handled_by_second_validator"], result["outputs_for_held_task"]) == (1, 1, 1)
