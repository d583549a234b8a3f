import json
from pathlib import Path

import pytest

from redline.batch import run_batch
from redline.run import RunResult
from services.ingest.errors import SourceError


class FakeRunner:
    """Records each run instead of running the chain; fails the folder named 'bad'."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, list[dict], Path]] = []

    async def __call__(self, folder: Path, query: str, out: Path, multimodal=None, **options) -> RunResult:
        self.calls.append((folder.name, query, multimodal, out))
        if folder.name == "bad":
            raise RuntimeError("chain broke")
        return RunResult(task_id=f"{folder.name}-1", out=out)


def write_queries(path: Path, entries: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return path


async def test_every_line_runs_against_its_task_folder(tmp_path):
    data = tmp_path / "data"
    for task in ("001", "002"):
        (data / task).mkdir(parents=True)
    queries = write_queries(tmp_path / "query.jsonl", [
        {"task": "001", "query": "写报告"},
        {"task": "002", "query": "q2", "multimodal": [{"name": "a.jpg"}]},
    ])
    runner = FakeRunner()
    outcomes = await run_batch(queries, data, tmp_path / "out", echo=lambda _: None, runner=runner)
    assert runner.calls == [("001", "写报告", [], tmp_path / "out" / "001"), ("002", "q2", [{"name": "a.jpg"}], tmp_path / "out" / "002")]
    assert [(o.task, o.task_id, o.failure) for o in outcomes] == [("001", "001-1", ""), ("002", "002-1", "")]


async def test_failing_lines_are_recorded_and_the_batch_goes_on(tmp_path):
    data = tmp_path / "data"
    for task in ("bad", "ok"):
        (data / task).mkdir(parents=True)
    queries = write_queries(tmp_path / "query.jsonl", [
        {"task": "missing", "query": "q"},
        {"task": "../etc", "query": "q"},
        {"task": "ok"},
        {"task": "bad", "query": "q"},
        {"number": "ok", "query": "q"},
    ])
    outcomes = await run_batch(queries, data, tmp_path / "out", echo=lambda _: None, runner=FakeRunner())
    failures = [o.failure for o in outcomes]
    assert "no folder" in failures[0]
    assert "not a plain folder name" in failures[1]
    assert 'has no "query"' in failures[2]
    assert failures[3] == "RuntimeError: chain broke"
    assert failures[4] == ""


async def test_outcomes_are_written_to_batch_jsonl(tmp_path):
    (tmp_path / "data" / "001").mkdir(parents=True)
    queries = write_queries(tmp_path / "query.jsonl", [{"task": "001", "query": "q"}])
    await run_batch(queries, tmp_path / "data", tmp_path / "out", echo=lambda _: None, runner=FakeRunner())
    [line] = (tmp_path / "out" / "batch.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {"task": "001", "line": 1, "task_id": "001-1", "out": str(tmp_path / "out" / "001"), "failure": "", "errors": 0}


async def test_missing_query_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        await run_batch(tmp_path / "none.jsonl", tmp_path, tmp_path / "out", runner=FakeRunner())
