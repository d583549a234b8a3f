import json
from datetime import datetime

from services.compare.handlers import Deps, on_report_accepted
from shared.events import TaskCompleted
from shared.evidence import EvidenceLoader
from shared.storage import MemoryObjectStore
from shared.units import EvidencePack, Unit
from tests.services.compare.pairs import accepted

WHEN = datetime(2025, 12, 3, 15, 51, 53)
UNIT = Unit(source="paper.pdf", kind="page", index=2, text="Precision rises to 86.9%.", method="pypdf")


async def run(requirements: dict | None = None) -> tuple[MemoryObjectStore, list]:
    store = MemoryObjectStore()
    ref = await store.put("t1/evidence.json", EvidencePack(task_id="t1", units=[UNIT]).model_dump_json().encode())
    data = accepted(requirements=requirements)
    data = data.model_copy(update={"context": data.context.model_copy(update={"evidence": ref})})
    events = await on_report_accepted(data, Deps(evidence=EvidenceLoader(store), clock=lambda: WHEN))
    return store, events


def outputs(store: MemoryObjectStore) -> set[str]:
    return {key.removeprefix("t1/out/") for key in store.objects if key.startswith("t1/out/")}


async def test_every_artifact_is_put_next_to_the_reference_ones():
    store, _ = await run()

    assert outputs(store) == {
        "original.md",
        "final.md",
        "comparison.txt",
        "findings.json",
        "comparison.json",
        "comparison.md",
        "report.html",
    }


async def test_completion_lists_every_artifact():
    store, events = await run()

    assert isinstance(events[0], TaskCompleted)
    assert {ref.key for ref in events[0].artifacts} == {f"t1/out/{name}" for name in outputs(store)}


async def test_comparison_json_holds_the_numbers():
    store, _ = await run()

    document = json.loads(store.objects["t1/out/comparison.json"])

    assert document["numbers"]["after"]["supported_share"] == 1.0
    assert document["stop_reason"] == "passed: no error-level finding"


async def test_report_html_opens_the_evidence_of_the_pack():
    store, _ = await run()

    assert "Precision rises to 86.9%." in store.objects["t1/out/report.html"].decode()


async def test_final_html_is_written_when_the_request_asks_for_html():
    store, _ = await run({"language": "zh", "output_format": "html", "title": "调研报告"})

    page = store.objects["t1/out/final.html"].decode()
    assert "<title>调研报告</title>" in page
    assert "<h1>调研报告</h1>" in page


async def test_reference_comparison_keeps_its_format():
    store, _ = await run()

    assert store.objects["t1/out/comparison.txt"].decode().startswith("=" * 80 + "\nREPORT COMPARISON")
