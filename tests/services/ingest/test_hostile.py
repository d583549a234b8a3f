"""Every hostile task folder of ``bench.hostile`` gets its one readable reason from ingest."""

import pytest

from bench.hostile import build, cases, judge, run_ingest

QUICK = cases(bomb_mb=40, pages=2100, big_json_mb=5)


@pytest.mark.parametrize("case", QUICK, ids=[case.name for case in QUICK])
def test_hostile_input_gets_its_reason(case, tmp_path):
    verdict = judge(case, run_ingest(build(case, tmp_path)))

    assert verdict.ok, f"{verdict.outcome}: {verdict.detail}"
