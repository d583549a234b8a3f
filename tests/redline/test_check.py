"""``redline check``: a report written elsewhere, checked against a folder of sources."""

import argparse
import asyncio
import json

import pytest

from redline.check import add_check_command, check_report, read_query
from redline.example import write_example
from tests.corpus import CORPUS, need
from tests.openai_server import ScriptedServer, reply

QUERY = "撰写《测试报告》，包含（1）背景；（2）方法。请注明来源。"
PAGE = "Our model achieves 28.4 BLEU on the WMT 2014 English-to-German translation task."


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_check_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return asyncio.run(args.handler(args))


@pytest.fixture
def folder(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "notes.txt").write_text(PAGE, encoding="utf-8")
    return sources


def report(tmp_path, body: str, method: str = ""):
    path = tmp_path / "report.md"
    path.write_text(f"《测试报告》\n\n（1）背景\n\n{body}\n\n（2）方法\n\n{method or body}\n", encoding="utf-8")
    return path


def test_supported_report_exits_zero(tmp_path, folder, capsys):
    method = "该结果来自WMT 2014英德翻译任务，BLEU为28.4。[文档: notes.txt, page 1]"
    path = report(tmp_path, "模型在WMT 2014英德翻译上取得28.4 BLEU。[文档: notes.txt, page 1]", method)

    assert run(["check", str(path), "--sources", str(folder), "--query", QUERY]) == 0
    assert "0 errors" in capsys.readouterr().out


def test_altered_number_exits_one_and_prints_the_finding(tmp_path, folder, capsys):
    path = report(tmp_path, "模型在WMT 2014英德翻译上取得28.5 BLEU。[文档: notes.txt, page 1]")

    assert run(["check", str(path), "--sources", str(folder), "--query", QUERY]) == 1
    assert "citation.unsupported" in capsys.readouterr().out


def test_a_finding_names_its_sentence_by_index(tmp_path, folder, capsys):
    path = report(tmp_path, "模型在WMT 2014英德翻译上取得28.5 BLEU。[文档: notes.txt, page 1]")

    run(["check", str(path), "--sources", str(folder), "--query", QUERY])

    assert "sentence 2: 模型在WMT 2014英德翻译上取得28.5 BLEU。" in capsys.readouterr().out


def test_json_output_has_requirements_summary_and_findings(tmp_path, folder, capsys):
    path = report(tmp_path, "模型取得28.4 BLEU。[文档: missing.pdf, page 1]")
    run(["check", str(path), "--sources", str(folder), "--query", QUERY, "--json"])
    payload = json.loads(capsys.readouterr().out)

    assert payload["requirements"]["title"] == "《测试报告》"
    assert payload["summary"]["by_check"]["citation.unresolved"] == 2
    assert {f["check"] for f in payload["findings"]} == {"citation.unresolved", "coverage.main_uncited"}


def test_report_inside_the_sources_folder_is_not_a_source(tmp_path, folder):
    path = folder / "report.md"
    path.write_text("模型取得28.4 BLEU。[文档: report.md]\n", encoding="utf-8")

    _, findings = check_report(path, folder, "")

    assert [f.check for f in findings] == ["citation.unresolved"]


def test_request_is_read_from_the_query_file_beside_the_folder(tmp_path):
    folder = write_example(tmp_path / "example")
    path = tmp_path / "report.md"
    path.write_text("短文。\n", encoding="utf-8")

    query = read_query(argparse.Namespace(query=None, query_file=None, sources=folder))
    requirements, _ = check_report(path, folder, query)

    assert requirements["title"] != "not stated"


def test_unreadable_sources_exit_one(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    path = report(tmp_path, "正文。")

    assert run(["check", str(path), "--sources", str(empty)]) == 1
    assert "No usable source" in capsys.readouterr().err


def test_reference_system_report_has_unresolvable_video_citations(tmp_path):
    task = need(CORPUS / "mirothinker_mm" / "task005")
    sources = tmp_path / "005"
    sources.mkdir()
    (sources / "long_context_sampled_32k.json").write_bytes((task / "long_context_sampled_32k.json").read_bytes())
    lines = (CORPUS / "mirothinker_mm" / "query.jsonl").read_text(encoding="utf-8").splitlines()
    query = next(json.loads(line)["query"] for line in lines if json.loads(line)["task"] == "005")

    _, findings = check_report(task / "model_runs" / "32k_claude37_sonnet_final_report.md", sources, query)

    assert any(f.check == "citation.unresolved" and "video.mp4" in f.message for f in findings)


async def test_the_configured_judge_reviews_the_doubted_claims(tmp_path, folder, monkeypatch, capsys):
    path = report(tmp_path, "作者还讨论了模型在多语言场景下的表现。[文档: notes.txt, page 1]")
    parser = argparse.ArgumentParser()
    add_check_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["check", str(path), "--sources", str(folder), "--query", QUERY])
    async with ScriptedServer(reply("1: UNSUPPORTED")) as server:
        for name, value in {"MODEL": "judge-mini", "BASE_URL": server.url, "API_KEY": "test", "RETRIES": "0"}.items():
            monkeypatch.setenv(f"REDLINE_JUDGE_{name}", value)
        code = await args.handler(args)

    assert code == 1
    assert len(server.requests) == 1
    assert "judge-mini found it unsupported" in capsys.readouterr().out
