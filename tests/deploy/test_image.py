"""The image recipe: one multi-stage image, non-root, extras by build argument, and entry points that start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
SERVICES = ("ingest", "draft", "validate", "compare")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


def test_build_is_multi_stage_on_python_311_slim():
    steps = instructions()
    assert ("ARG", "PYTHON_IMAGE=python:3.11-slim") in steps
    assert [args for op, args in steps if op == "FROM"] == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE} AS runtime"]


def test_runtime_copies_only_the_built_environment():
    copies = [args for op, args in final_stage() if op == "COPY"]
    assert copies == ["--from=build /opt/venv /opt/venv"]


def test_runs_as_a_numeric_non_root_user():
    (user,) = [args for op, args in final_stage() if op == "USER"]
    uid = user.split(":")[0]
    assert uid.isdigit()
    assert int(uid) != 0


def test_extras_are_a_build_argument():
    steps = instructions()
    assert ("ARG", 'EXTRAS=""') in steps
    assert any(op == "RUN" and '".${EXTRAS:+[$EXTRAS]}"' in args for op, args in steps)


def test_entrypoint_is_python_m_and_the_command_picks_a_service():
    stage = final_stage()
    assert ("ENTRYPOINT", '["python", "-m"]') in stage
    (command,) = [args for op, args in stage if op == "CMD"]
    assert command.strip('[]"').removeprefix("services.") in SERVICES


def test_read_only_root_filesystem_needs_only_tmp():
    env = " ".join(args for op, args in final_stage() if op == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    assert "HOME=/tmp" in env
    assert "TMPDIR=/tmp" in env


def test_dockerignore_admits_only_the_packages_and_project_files():
    lines = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]
    assert lines[0] == "*"
    assert {line for line in lines if line.startswith("!")} == {
        "!pyproject.toml", "!README.md", "!redline/", "!shared/", "!services/"
    }


def test_everything_the_build_copies_exists():
    sources = [args.split()[:-1] for op, args in instructions() if op == "COPY" and not args.startswith("--from")]
    for names in sources:
        for name in names:
            assert (ROOT / name).exists(), name


@pytest.mark.parametrize("service", SERVICES)
def test_service_entry_point_starts(service):
    result = subprocess.run(
        [sys.executable, "-m", f"services.{service}", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert f"services.{service}" in result.stdout
