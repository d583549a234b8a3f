"""Waiting before trying again: one backoff rule, and a retry loop for start-up calls."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog

T = TypeVar("T")

log = structlog.get_logger()


def backoff_delay(attempt: int, retry_after: float | None = None, cap: float = 30.0) -> float:
    """Seconds to wait before attempt ``attempt + 1``: exponential with jitter, or retry-after."""
    if retry_after is not None:
        return min(retry_after, cap)
    base = min(cap, 0.5 * 2.0 ** max(0, attempt - 1))
    return base * random.uniform(0.5, 1.0)


async def retrying(
    call: Callable[[], Awaitable[T]],
    transient: tuple[type[BaseException], ...],
    within: float,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``await call()`` until it returns, retrying ``transient`` failures with backoff for up to
    ``within`` seconds; the last failure is raised when the time is spent."""
    deadline = clock() + within
    attempt = 0
    while True:
        try:
            return await call()
        except transient as exc:
            attempt += 1
            delay = min(backoff_delay(attempt, cap=5.0), max(0.0, deadline - clock()))
            if delay <= 0:
                raise
            log.warning(
                "retrying", what=what, attempt=attempt, error=f"{type(exc).__name__}: {exc}", delay_s=round(delay, 2)
            )
            await sleep(delay)
