"""Layering: services meet only through events and ``shared/``, ``shared/`` imports no service or
CLI code, and no service imports the CLI (``redline/``)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ["ingest", "draft", "validate", "compare"]


def imported(folder: Path) -> set[tuple[str, str]]:
    """(file, imported module) for every absolute import in the Python files under ``folder``."""
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(path.name, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((path.name, node.module))
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service_and_no_cli_code(service):
    foreign = ("redline", *(f"services.{other}" for other in SERVICES if other != service))
    wrong = {(f, m) for f, m in imported(ROOT / "services" / service) if m.startswith(foreign)}
    assert wrong == set()


def test_shared_imports_no_service_and_no_cli_code():
    wrong = {(f, m) for f, m in imported(ROOT / "shared") if m.startswith(("services", "redline"))}
    assert wrong == set()
