"""Every hostile task folder of ``bench.hostile`` gets its one readable reason from ingest."""

import pytest

from bench.hostile import build, cases, judge, run_ingest, run_on_bus

QUICK = cases(bomb_mb=40, pages=2100, big_json_mb=5)


@pytest.mark.parametrize("case", QUICK, ids=[case.name for case in QUICK])
def test_hostile_input_gets_its_reason(case, tmp_path):
    verdict = judge(case, run_ingest(build(case, tmp_path)))

    assert verdict.ok, f"{verdict.outcome}: {verdict.detail}"


@pytest.mark.nats
async def test_hostile_tasks_submitted_at_once_beside_a_normal_one_each_get_their_reason(nats_settings, tmp_path):
    verdicts = await run_on_bus(nats_settings, QUICK, tmp_path, timeout=300)

    assert [(v.case, v.outcome, v.detail) for v in verdicts if not v.ok] == []
    assert len(verdicts) == len(QUICK) + 1
