import json
import re

from redline.direct import run_direct
from redline.example import main, write_example
from redline.folder import collect_files, find_query
from services.ingest.sources import ingest_files
from shared.events import ReportAccepted


def test_writes_paper_pages_and_query(tmp_path):
    folder = write_example(tmp_path / "demo")
    assert sorted(p.name for p in folder.iterdir()) == ["long_context.json", "paper.pdf", "query.jsonl"]


def test_output_is_identical_on_every_run(tmp_path):
    first = collect_files(write_example(tmp_path / "one" / "demo"))
    second = collect_files(write_example(tmp_path / "two" / "demo"))
    assert first == second


def test_query_names_the_folder_and_asks_for_a_titled_sectioned_report_with_length(tmp_path):
    query, multimodal = find_query(write_example(tmp_path / "demo"))
    assert multimodal == []
    assert re.search(r"《.+》", query)
    assert all(f"（{n}）" in query for n in (1, 2, 3))
    assert "字数在800至1200字" in query
    assert "来源" in query


def test_paper_has_title_authors_and_several_pages(tmp_path):
    pack = ingest_files(collect_files(write_example(tmp_path / "demo")), "demo")
    [paper] = [m for m in pack.sources if m.source == "paper.pdf"]
    assert paper.title.startswith("CiteCheck")
    assert len(paper.authors) == 3
    assert paper.pages == 4
    assert "86.9%" in pack.units_of("paper.pdf")[2].text


def test_web_pages_are_chinese_and_long_enough_for_several_chunks(tmp_path):
    folder = write_example(tmp_path / "demo")
    pages = json.loads((folder / "long_context.json").read_text(encoding="utf-8"))
    articles = [p for p in pages if "论文作者" not in p["page_body"]]
    assert 4 <= len(articles) <= 6
    assert all(600 <= len(p["page_body"]) <= 2500 for p in articles)
    chunks = [u for u in ingest_files(collect_files(folder), "demo").units if u.kind == "chunk"]
    assert max(u.index for u in chunks) >= 2


def test_command_line_writes_the_folder(tmp_path, capsys):
    assert main([str(tmp_path / "cli")]) == 0
    assert (tmp_path / "cli" / "paper.pdf").exists()
    assert "cli" in capsys.readouterr().out


def test_one_page_misstates_the_papers_authors_and_link(tmp_path):
    pages = json.loads((write_example(tmp_path / "demo") / "long_context.json").read_text(encoding="utf-8"))
    careless = [p["page_body"] for p in pages if "论文作者" in p["page_body"]]

    assert len(careless) == 1
    assert "Okafar" in careless[0]
    assert "github.com" in careless[0]


async def test_the_loop_fixes_the_first_drafts_errors(tmp_path):
    folder = write_example(tmp_path / "example")

    events = await run_direct("example", collect_files(folder), find_query(folder)[0])

    accepted = next(e for e in events if isinstance(e, ReportAccepted))
    assert accepted.rounds[0].errors > 0
    assert {f.check for f in accepted.rounds[0].findings} & {"metadata.authors", "metadata.link_kind"}
    assert accepted.report_version > 1
    assert accepted.text != accepted.original_text
    assert [f for f in accepted.findings if f.severity == "error"] == []
