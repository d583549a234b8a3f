"""Structured log lines."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest
import structlog

from shared.logging import configure_logging


@pytest.fixture
def restored_logging() -> Iterator[None]:
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)


def test_lines_go_to_the_standard_error_of_the_moment_not_one_closed_since(restored_logging, monkeypatch):
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure_logging("INFO")
    first.close()
    monkeypatch.setattr(sys, "stderr", second)

    structlog.get_logger().info("still heard", task_id="t1")

    assert json.loads(second.getvalue()) | {"timestamp": ""} == {
        "event": "still heard",
        "task_id": "t1",
        "level": "info",
        "timestamp": "",
    }
