"""One ingest replica reads several tasks at once: a heavy file does not hold up the task behind it."""

import pytest

from bench.headofline import HEAVY, SMALL, race
from services.ingest.settings import Settings

pytestmark = pytest.mark.nats


async def test_a_small_task_leaves_ingest_while_a_heavy_one_submitted_first_is_still_read(nats_settings, monkeypatch):
    pytest.importorskip("rapidocr")
    monkeypatch.setenv("REDLINE_INGEST_MAX_SECONDS", "5")

    finishes = await race(nats_settings, Settings().concurrency, pages=300, timeout=120)

    assert [(finish.task, finish.event) for finish in finishes] == [(SMALL, "evidence.ready"), (HEAVY, "task.failed")]
    assert "REDLINE_INGEST_MAX_SECONDS" in finishes[1].reason
