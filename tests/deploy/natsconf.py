"""A nats-server started from deploy/nats/values.yaml's accounts, for permission tests."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

from shared.embedded import find_server_binary

VALUES = Path(__file__).resolve().parents[2] / "deploy" / "nats" / "values.yaml"
RAW_VARIABLE = re.compile(r"^<< \$(\w+) >>$")


def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def users() -> dict[str, dict]:
    """Each user of the REDLINE account by name."""
    return {user["user"]: user for user in values()["config"]["merge"]["accounts"]["REDLINE"]["users"]}


def password_of(user: str) -> str:
    return f"test-{user}"


def resolve(node, variables: dict[str, str]):
    """The merge block with every '<< $VAR >>' replaced by the variable's value."""
    if isinstance(node, dict):
        return {key: resolve(value, variables) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(value, variables) for value in node]
    if isinstance(node, str) and (match := RAW_VARIABLE.match(node)):
        return variables[match.group(1)]
    return node


def password_variables() -> dict[str, str]:
    """The chart's container env (VAR → secret key), mapped to test passwords."""
    env = values()["container"]["env"]
    return {name: password_of(spec["valueFrom"]["secretKeyRef"]["key"]) for name, spec in env.items()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ConfiguredNats:
    """nats-server on loopback with JetStream and the values' accounts and users."""

    def __init__(self) -> None:
        self.port = free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="redline-nats-perm-")
        self._process: subprocess.Popen | None = None

    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        merge = resolve(values()["config"]["merge"], password_variables())
        config = {
            "host": "127.0.0.1",
            "port": self.port,
            "jetstream": {"store_dir": str(Path(self._dir.name) / "js")},
            **merge,
        }
        path = Path(self._dir.name) / "nats.conf"
        path.write_text(json.dumps(config, indent=1), encoding="utf-8")
        self._process = subprocess.Popen(
            [str(find_server_binary()), "-c", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(self._process.stderr.read().decode(errors="replace"))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nats-server did not start")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=5)
        if self._process and self._process.stderr:
            self._process.stderr.close()
        self._dir.cleanup()
