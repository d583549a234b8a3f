"""A NATS cluster on loopback: n nats-server processes with routes between them and JetStream.

Each node gets its own config file (distinct ``server_name``, client, route and monitoring
ports, its own store directory) in one temp directory that ``stop`` removes.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from shared.embedded import EmbeddedNatsError, find_server_binary, free_port

CLUSTER = "redline"


@dataclass
class Node:
    """One server of the cluster: its name, ports and process."""

    name: str
    port: int
    route_port: int
    monitor_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> subprocess.Popen[bytes]:
        """The started process; ``NatsCluster.start`` first."""
        if self.process is None:
            raise RuntimeError(f"nats-server {self.name} was not started")
        return self.process

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def node_config(node: Node, peers: list[Node], store: Path) -> str:
    """The config file of ``node``: client, monitoring and cluster listeners, routes to every peer."""
    routes = ", ".join(f'"nats-route://127.0.0.1:{peer.route_port}"' for peer in peers if peer is not node)
    return (
        f'server_name: "{node.name}"\n'
        f'listen: "127.0.0.1:{node.port}"\n'
        f'http: "127.0.0.1:{node.monitor_port}"\n'
        f'jetstream {{ store_dir: "{store}" }}\n'
        f'cluster {{ name: "{CLUSTER}", listen: "127.0.0.1:{node.route_port}", routes: [{routes}] }}\n'
    )


def monitor(node: Node, path: str) -> dict:
    """A monitoring endpoint of ``node`` (``/jsz``, ``/varz``...) as JSON."""
    with urllib.request.urlopen(f"http://127.0.0.1:{node.monitor_port}{path}", timeout=2) as response:
        return json.loads(response.read())


class NatsCluster:
    """Starts ``size`` routed nats-servers with JetStream; waits for a meta leader; kills or stops them."""

    def __init__(self, size: int = 3, start_timeout: float = 30.0) -> None:
        self.size = size
        self.start_timeout = start_timeout
        self.nodes: list[Node] = []
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def urls(self) -> list[str]:
        """Client URLs of every node, dead or alive."""
        return [node.url for node in self.nodes]

    def node_named(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name)

    async def start(self) -> NatsCluster:
        """Write the configs, start every node, and wait until JetStream has a meta leader."""
        binary = find_server_binary()
        self._dir = tempfile.TemporaryDirectory(prefix="redline-cluster-")
        root = Path(self._dir.name)
        self.nodes = [Node(f"n{i + 1}", free_port(), free_port(), free_port()) for i in range(self.size)]
        for node in self.nodes:
            config = root / f"{node.name}.conf"
            config.write_text(node_config(node, self.nodes, root / node.name), encoding="utf-8")
            log = (root / f"{node.name}.log").open("wb")
            node.process = subprocess.Popen([str(binary), "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
            log.close()
        await self.wait_meta_leader()
        return self

    def log_tail(self, node: Node, lines: int = 3) -> str:
        """The last lines of a node's log, for error messages."""
        if self._dir is None:
            return ""
        path = Path(self._dir.name) / f"{node.name}.log"
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])

    async def wait_meta_leader(self) -> str:
        """Wait until every live node reports the same meta leader over a full cluster; return its name."""
        deadline = asyncio.get_running_loop().time() + self.start_timeout
        while asyncio.get_running_loop().time() < deadline:
            for node in self.nodes:
                if node.running.poll() is not None:
                    raise EmbeddedNatsError(f"nats-server {node.name} exited: {self.log_tail(node)}")
            leader = await asyncio.to_thread(self._agreed_leader)
            if leader:
                return leader
            await asyncio.sleep(0.2)
        raise EmbeddedNatsError(f"no JetStream meta leader within {self.start_timeout:.0f} s")

    def _agreed_leader(self) -> str:
        try:
            metas = [monitor(node, "/jsz").get("meta_cluster", {}) for node in self.nodes if node.alive]
        except OSError:
            return ""
        leaders = {meta.get("leader", "") for meta in metas}
        full = all(meta.get("cluster_size", 0) == self.size for meta in metas)
        return leaders.pop() if full and len(leaders) == 1 and "" not in leaders else ""

    def kill(self, node: Node) -> None:
        """SIGKILL one node: no goodbye to its peers or clients."""
        node.running.send_signal(signal.SIGKILL)
        node.running.wait()

    def stop(self) -> None:
        """Stop every node (SIGTERM, then SIGKILL after 5 s) and delete the configs and stores."""
        for node in self.nodes:
            if node.alive:
                node.running.terminate()
        for node in self.nodes:
            if node.process is None:
                continue
            try:
                node.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait()
        if self._dir:
            self._dir.cleanup()
            self._dir = None

    async def __aenter__(self) -> NatsCluster:
        try:
            return await self.start()
        except BaseException:
            self.stop()
            raise

    async def __aexit__(self, *exc) -> None:
        self.stop()
