"""``redline run``'s progress on a terminal (a pseudo-terminal) and piped."""

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from redline.example import write_example

pytestmark = pytest.mark.nats
ROOT = Path(__file__).resolve().parents[2]
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
STEP = re.compile(r"^  (submitted|ingest|draft|validate|revise|compare) .*\[\d+\.\d s\]$", re.MULTILINE)


def command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "redline.cli", "run", str(folder), "--out", str(out)]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "NO_COLOR", "TERM")}
    return env | {"PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "120"}


def run_in_terminal(folder: Path, out: Path) -> str:
    """The run's terminal output, read from the controlling side of a pseudo-terminal."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        command(folder, out), stdin=terminal, stdout=terminal, stderr=terminal, env=environment()
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return write_example(tmp_path_factory.mktemp("progress") / "example")


def test_a_terminal_gets_coloured_steps_with_their_seconds(folder, tmp_path):
    text = run_in_terminal(folder, tmp_path / "out")

    assert ESCAPE.search(text), text
    lines = re.split(r"[\r\n]+", ESCAPE.sub("", text))
    assert len(STEP.findall("\n".join(lines))) >= 5, lines


def test_piped_output_has_plain_lines_and_no_colour_codes(folder, tmp_path):
    done = subprocess.run(
        command(folder, tmp_path / "out"), capture_output=True, text=True, env=environment(), timeout=120
    )

    assert not ESCAPE.search(done.stderr), done.stderr
    assert len(STEP.findall(done.stderr)) >= 5
    assert done.stderr.splitlines()[-1].startswith("redline: task example-")
