"""Backoff and the start-up retry loop (pure logic: a fake clock and sleep)."""

from __future__ import annotations

import pytest

from shared.retry import backoff_delay, retrying


class Clock:
    """A clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def failing(times: int, error: type[Exception] = TimeoutError):
    """A call that raises ``error`` ``times`` times, then returns how many calls it took."""
    calls = []

    async def call() -> int:
        calls.append(1)
        if len(calls) <= times:
            raise error("not ready")
        return len(calls)

    return call


def test_backoff_grows_with_attempts():
    assert backoff_delay(1) <= 0.5 < backoff_delay(4) <= 4.0


def test_backoff_honours_retry_after():
    assert backoff_delay(3, retry_after=7.0) == 7.0


async def test_retrying_returns_once_the_call_succeeds():
    clock = Clock()
    assert await retrying(failing(3), (TimeoutError,), 60, "test", clock.sleep, clock) == 4


async def test_retrying_raises_the_last_failure_when_the_time_is_spent():
    clock = Clock()
    with pytest.raises(TimeoutError):
        await retrying(failing(1000), (TimeoutError,), 10, "test", clock.sleep, clock)
    assert clock.now == pytest.approx(10)


async def test_retrying_does_not_retry_other_errors():
    clock = Clock()
    with pytest.raises(ValueError, match="not ready"):
        await retrying(failing(1, ValueError), (TimeoutError,), 60, "test", clock.sleep, clock)
    assert clock.now == 0
