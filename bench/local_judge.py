"""The shipped local model as the benchmarks' judge, and the judge's replies kept in a file.

``local_judge()`` assembles the shipped GGUF (``shared.local_model``), serves it on loopback for the
block and points ``REDLINE_JUDGE_*`` at it. ``Replies`` asks a judge about (claim, evidence
sentences) pairs in batches and keeps each verdict in a JSON file, keyed by the claim and its
evidence, so a rerun after changing the offline rules asks only about pairs it has not seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from pathlib import Path

from services.validate.judge import Judge
from shared.errors import PoisonError, TransientError
from shared.local_model import EmbeddedModel, LocalModelSettings, assemble, spec_named
from shared.settings import environment

CALL_TIMEOUT = "900"
"""Seconds one judge call may take on the local model (a batch on two busy cores is slow)."""


@contextlib.contextmanager
def local_judge():
    """The shipped model served on loopback as ``REDLINE_JUDGE_MODEL`` for the block (variables restored after)."""
    local = LocalModelSettings()
    spec = spec_named(local.model)
    server = EmbeddedModel(assemble(spec, local.cache_dir), spec.name, local.context, local.threads, local.start_timeout)
    asyncio.run(server.start())
    overrides = {
        "REDLINE_JUDGE_BASE_URL": server.url,
        "REDLINE_JUDGE_API_KEY": "local",
        "REDLINE_JUDGE_MODEL": spec.name,
        "REDLINE_JUDGE_TIMEOUT": CALL_TIMEOUT,
        "REDLINE_JUDGE_DEADLINE": CALL_TIMEOUT,
        "REDLINE_JUDGE_RETRIES": "0",
        "REDLINE_JUDGE_BATCH": os.environ.get("REDLINE_JUDGE_BATCH", "1"),  # the 1.5B model copies a numbered template
    }
    try:
        with environment(overrides):
            yield spec.name
    finally:
        server.stop()


class Replies:
    """A judge's verdicts on (claim, evidence sentences) pairs, kept in ``path`` (None: in memory only)."""

    def __init__(self, judge: Judge, path: Path | None, budget: float | None = None) -> None:
        self.judge, self.path, self.budget = judge, path, budget
        self.known: dict[str, bool | None] = json.loads(path.read_text(encoding="utf-8")) if path and path.exists() else {}
        self.failed = self.unasked = 0

    @staticmethod
    def key(claim: str, evidence: list[str]) -> str:
        return "\n".join([claim, *evidence])

    async def verdicts(self, pairs: list[tuple[str, list[str]]]) -> list[bool | None]:
        """The verdict on each pair (None: no verdict), asking the judge in batches about the unseen ones
        until ``budget`` seconds have passed; a batch whose call fails is counted in ``failed`` and left
        without verdicts, as are the pairs the budget leaves unasked (counted in ``unasked``)."""
        todo = list(dict.fromkeys(self.key(*p) for p in pairs if self.key(*p) not in self.known))
        unseen = {self.key(*p): p for p in pairs}
        ends = time.monotonic() + (self.budget if self.budget is not None else float("inf"))
        self.unasked = len(todo)
        for start in range(0, len(todo), self.judge.batch):
            if time.monotonic() >= ends:
                break
            self.unasked = len(todo) - start
            batch = todo[start : start + self.judge.batch]
            try:
                answers = await self.judge.verdicts([unseen[k] for k in batch])
            except (PoisonError, TransientError):
                self.failed += len(batch)
                continue
            self.known.update(zip(batch, answers, strict=True))
            self.unasked = len(todo) - start - len(batch)
            if self.path:
                self.path.write_text(json.dumps(self.known, ensure_ascii=False), encoding="utf-8")
        return [self.known.get(self.key(*p)) for p in pairs]
