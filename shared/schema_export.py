"""Export every event's JSON Schema to ``shared/schemas/`` so other teams can consume events.

    python -m shared.schema_export        # rewrite the files
"""

from __future__ import annotations

import json
from pathlib import Path

from shared.events import json_schemas

FOLDER = Path(__file__).parent / "schemas"


def rendered_schemas() -> dict[str, str]:
    """File name → file text for every schema."""
    return {
        f"{name}.json": json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, schema in json_schemas().items()
    }


def write_schemas(folder: Path = FOLDER) -> list[Path]:
    """Write every schema file, removing files of types that no longer exist."""
    folder.mkdir(parents=True, exist_ok=True)
    files = rendered_schemas()
    for stale in folder.glob("*.json"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]


if __name__ == "__main__":
    for path in write_schemas():
        print(path)
