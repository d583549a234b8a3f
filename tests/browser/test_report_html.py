"""report.html of the example task in headless Chromium.

The example runs through the real ingest, draft, validate and compare handlers in this process (an
in-memory object store, no NATS). One chunk-1 citation of the first draft is pointed past its page's chunks
before validation, so validate raises ``citation.unresolved``, the writer repairs it, and the page
has a real change to mark.

What this proves: ``--dump-dom`` shows the DOM Chromium parsed (summary numbers, the two columns,
``<del>``/``<ins>``, and the evidence panel with the cited chunk's text behind the link's anchor).
The DOM holds every panel whether or not it is shown, so the dump cannot prove that ``:target``
displays one; the screenshots can: with ``#anchor`` the panel's corner of the page is painted
differently than without. The screenshots are saved under test-output/ for a person to look at.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from redline.direct import run_direct
from redline.example import write_example
from redline.folder import collect_files, find_query
from services.compare.messages import loop_text
from services.compare.report_md import percent
from shared.events import EventData, ReportDrafted
from shared.storage import MemoryObjectStore

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
BROKEN, FIRST = "chunk 99]", "chunk 1]"
WINDOW = (1400, 2000)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium"),
]


def break_first_citation(event: EventData) -> EventData:
    """The first draft with its first chunk-1 citation pointed at a chunk that does not exist."""
    if isinstance(event, ReportDrafted):
        return event.model_copy(update={"text": event.text.replace(FIRST, BROKEN, 1)})
    return event


async def run_example(folder: Path) -> dict[str, bytes]:
    """The example through every handler in turn, its first draft broken; the task's output files."""
    store = MemoryObjectStore()
    files, (query, _) = collect_files(folder), find_query(folder)
    await run_direct("example", files, query, store, tamper=break_first_citation)
    return {
        key.removeprefix("example/out/"): data for key, data in store.objects.items() if key.startswith("example/out/")
    }


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> tuple[Path, dict]:
    """report.html of the example on disk, and its comparison.json."""
    root = tmp_path_factory.mktemp("browser")
    outputs = asyncio.run(run_example(write_example(root / "example")))
    page = root / "report.html"
    page.write_bytes(outputs["report.html"])
    return page, json.loads(outputs["comparison.json"])


def chromium(tmp_path: Path, *arguments: str) -> str:
    """Run headless Chromium once; its standard output."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def dump(tmp_path: Path, url: str) -> str:
    return chromium(tmp_path, "--dump-dom", url)


def screenshot(tmp_path: Path, url: str, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / name
    chromium(tmp_path, f"--screenshot={path}", url)
    return path


@pytest.fixture(scope="module")
def dom(example, tmp_path_factory) -> str:
    """The DOM of the page as Chromium loaded it, without an anchor."""
    return dump(tmp_path_factory.mktemp("chromium"), example[0].as_uri())


def test_summary_shows_the_comparison_numbers(example, dom):
    numbers = example[1]["numbers"]
    expected = f"{percent(numbers['before']['supported_share'])} → {percent(numbers['after']['supported_share'])}"

    assert re.search(rf'data-stat="supported">.*?<span class="value">{re.escape(expected)}</span>', dom)
    assert re.search(rf'data-stat="zi">.*?{numbers["before"]["zi"]} → {numbers["after"]["zi"]}', dom)
    assert html.escape(loop_text(example[1]["stop_reason"], "zh")) in dom


def test_original_and_final_stand_in_two_columns(example, dom):
    comparison = example[1]

    assert "<h2>原稿</h2><h2>终稿</h2>" in dom
    assert dom.count('class="cell original"') == dom.count('class="cell final"') == len(comparison["sentences"])


def repaired_chunk(comparison: dict) -> str:
    """'chunk N' of the citation the writer put where the broken one was (the comparison says which)."""
    broken = next(s for s in comparison["sentences"] if any(BROKEN[:-1] in c for c in s["original"]["citations"]))
    return re.search(r"chunk \d+", next(c for c in broken["final"]["citations"] if BROKEN[:-1] not in c)).group()


def test_the_repaired_citation_is_marked_deleted_and_inserted(example, dom):
    assert re.search(rf"<del>\[<a [^>]*>[^<]*{re.escape(BROKEN[:-1])}</a>\]</del>", dom)
    assert re.search(rf"<ins>\[<a [^>]*>[^<]*{repaired_chunk(example[1])}</a>\]</ins>", dom)
    assert 'class="error resolved"' in dom


def test_an_opened_citation_shows_its_chunk(example, dom, tmp_path):
    page = example[0]
    anchor = re.search(r'<ins>\[<a class="cite" href="#(ev-\d+)">', dom).group(1)

    opened = dump(tmp_path, f"{page.as_uri()}#{anchor}")

    panel = re.search(rf'<section class="evidence" id="{anchor}">(.*?)</section>', opened, re.DOTALL).group(1)
    assert "long_context.json" in panel
    assert repaired_chunk(example[1]) in panel
    assert len(re.search(r'<div class="text">(.*?)</div>', panel, re.DOTALL).group(1)) > 50


def test_target_paints_the_evidence_panel_and_screenshots_are_saved(example, tmp_path):
    image = pytest.importorskip("PIL.Image")
    chops = pytest.importorskip("PIL.ImageChops")
    page, _ = example
    anchor = re.search(r'<ins>\[<a class="cite" href="#(ev-\d+)">', page.read_text(encoding="utf-8")).group(1)

    plain = screenshot(tmp_path, page.as_uri(), "report_html.png")
    opened = screenshot(tmp_path, f"{page.as_uri()}#{anchor}", "report_html_evidence.png")

    panel_corner = (WINDOW[0] - 560, 16, WINDOW[0] - 16, 300)
    before, after = (image.open(p).convert("RGB").crop(panel_corner) for p in (plain, opened))
    assert chops.difference(before, after).getbbox() is not None


def flood_first_draft(event: EventData) -> EventData:
    """The first draft followed by four copies of itself whose every citation points past its source:
    well over a hundred findings for the loop to work through."""
    if isinstance(event, ReportDrafted):
        broken = re.sub(r"(chunk|page) (\d+)\]", r"\1 9\2]", event.text.split("\n", 1)[1])
        return event.model_copy(update={"text": event.text + ("\n\n" + broken) * 4})
    return event


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[Path, dict, dict]:
    """report.html, comparison.json and findings.json of the example with a flooded first draft."""
    root = tmp_path_factory.mktemp("large")
    folder = write_example(root / "example")
    store = MemoryObjectStore()
    files, (query, _) = collect_files(folder), find_query(folder)
    asyncio.run(run_direct("example", files, query, store, tamper=flood_first_draft))
    outputs = {k.removeprefix("example/out/"): v for k, v in store.objects.items() if k.startswith("example/out/")}
    page = root / "report.html"
    page.write_bytes(outputs["report.html"])
    return page, json.loads(outputs["comparison.json"]), json.loads(outputs["findings.json"])


def test_a_task_with_a_hundred_findings_shows_the_side_by_side_before_the_rounds(large, tmp_path):
    page, comparison, findings = large
    dom = dump(tmp_path, page.as_uri())

    assert len(findings["rounds"][0]["findings"]) >= 100
    assert dom.index('<section class="compare">') < dom.index('<table class="rounds">')
    table = dom.split('<table class="rounds">')[1].split("</table>")[0]
    assert table.count("<details>") >= 1
    assert "<details open" not in table
    assert table.count("<tr>") == len(comparison["rounds"]) + 1


def test_each_sentence_lists_each_problem_once(large, tmp_path):
    dom = dump(tmp_path, large[0].as_uri())

    for cell in re.findall(r'<ul class="findings">(.*?)</ul>', dom):
        items = re.findall(r"<li[^>]*>(.*?)</li>", cell)
        assert len(items) == len(set(items)), items


def test_a_hundred_findings_page_is_screenshotted_for_a_person_to_read(large, tmp_path):
    path = screenshot(tmp_path, large[0].as_uri(), "report_html_large.png")

    assert path.stat().st_size > 10_000
