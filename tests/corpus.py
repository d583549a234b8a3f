"""Where the shared corpus lives, and a skip when it is absent."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed"


def need(path: Path) -> Path:
    """``path`` if it exists, else skip the calling test."""
    if not path.exists():
        pytest.skip(f"{path.name} is not available (../shared is absent)")
    return path
