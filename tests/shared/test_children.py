"""Servers redline starts die with it: real processes, killed for real."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from redline.example import write_example

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the death signal is Linux's")

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
PARENT = """
import subprocess, sys, time
from shared.children import spawn
start = spawn if sys.argv[1] == "spawn" else subprocess.Popen
child = start({sleeper!r})
print(child.pid, flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def children_of(pid: int) -> list[int]:
    """Every process whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def killed_parent_child(how: str) -> int:
    """Start a parent that starts a sleeping child with ``how``, kill -9 the parent; the child's pid."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = PARENT.format(sleeper=SLEEPER)
    parent = subprocess.Popen([sys.executable, "-c", script, how], stdout=subprocess.PIPE, env=env, text=True)
    child = int(parent.stdout.readline())
    assert alive(child)
    parent.kill()
    parent.wait()
    parent.stdout.close()
    return child


def test_a_spawned_child_dies_when_its_parent_is_killed_with_sigkill():
    child = killed_parent_child("spawn")
    assert gone_within(child, 10)


def test_a_plainly_started_child_outlives_its_killed_parent():
    """The control: without ``spawn`` the same child is orphaned, so the test above can fail."""
    child = killed_parent_child("plain")
    try:
        assert not gone_within(child, 2)
    finally:
        os.kill(child, signal.SIGKILL)


def test_sigterm_to_redline_run_stops_its_nats_server_and_exits_interrupted(tmp_path):
    folder = write_example(tmp_path / "example")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REDLINE_LOCAL_MODEL": "off"}
    env.pop("NATS_URL", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "redline.cli", "run", str(folder), "--out", str(tmp_path / "out")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    servers: list[int] = []
    while not servers and time.monotonic() < deadline and run.poll() is None:
        servers = [pid for pid in children_of(run.pid) if "nats-server" in Path(f"/proc/{pid}/cmdline").read_text()]
        time.sleep(0.1)
    assert servers, "redline run started no nats-server"
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr
    assert all(gone_within(pid, 5) for pid in servers)
