"""The embedded local model through the whole chain: ``redline run`` with no model configured starts it.

Runs wherever the ``local`` extra is installed (``make test`` installs it). Outside CI a missing extra
skips; in CI (``CI`` set) it fails, so the model path is never silently left untested. Opt out with
``REDLINE_SKIP_MODEL_TESTS=1``.
"""

from __future__ import annotations

import os
import re

import pytest

from redline.example import write_example
from redline.run import run_folder
from shared.citations import find_citations
from shared.local_model import LocalModelSettings, installed, spec_named

pytestmark = [pytest.mark.model, pytest.mark.nats, pytest.mark.slow]
SHORT_QUERY = (
    "请根据提供的论文paper.pdf和网页资料，撰写一篇《检索增强生成与可验证引用技术调研报告》。报告需包含以下部分："
    "（1）检索增强生成的基本原理与流程；（2）引用质量的评估方法与指标。字数在250至400字，每个关键论述都需标注来源。"
)


@pytest.fixture
def local_extra(monkeypatch):
    """The ``local`` extra, with no model endpoint configured."""
    if os.environ.get("REDLINE_SKIP_MODEL_TESTS"):
        pytest.skip("REDLINE_SKIP_MODEL_TESTS is set")
    monkeypatch.delenv("REDLINE_LOCAL_MODEL", raising=False)
    if not installed(LocalModelSettings()):
        message = "the local extra (llama-cpp-python and the model's part packages) is not installed"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must install it (the Makefile's EXTRAS)")
        pytest.skip(message)
    for name in ("OPENAI_BASE_URL", "OPENAI_MODEL", "REDLINE_DRAFT_BASE_URL", "REDLINE_DRAFT_MODEL"):
        monkeypatch.delenv(name, raising=False)


async def test_the_embedded_model_writes_the_report_in_the_request_language(local_extra, nats_settings, tmp_path):
    lines: list[str] = []
    folder = write_example(tmp_path / "example")
    result = await run_folder(folder, SHORT_QUERY, tmp_path / "out", echo=lines.append, nats_settings=nats_settings)
    assert result.failure == "", result.failure
    name = spec_named(LocalModelSettings().model).name
    assert any(line.startswith("model") and name in line and "started" in line for line in lines), lines
    assert any(f"written by model:{name}" in line for line in lines), lines
    events = (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8")
    assert "draft.section_fallback" not in events, "a section fell back to the offline writer: the model did not answer"
    final = (tmp_path / "out" / "final.md").read_text(encoding="utf-8")
    body = [line for line in final.split("\n") if line.strip() and not line.startswith(("#", "《"))]
    assert body
    assert all(find_citations(line) for line in body)
    assert len(re.findall(r"[\u4e00-\u9fff]", final)) > 2 * len(re.findall(r"[A-Za-z]+", final))


async def test_a_corrupt_cached_model_is_one_line_and_the_offline_writer_drafts(
    local_extra, nats_settings, tmp_path, monkeypatch
):
    spec = spec_named(LocalModelSettings().model)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / spec.filename).write_bytes(b"not a model")
    monkeypatch.setenv("REDLINE_MODEL_CACHE", str(tmp_path / "cache"))
    lines: list[str] = []
    folder = write_example(tmp_path / "example")
    result = await run_folder(folder, SHORT_QUERY, tmp_path / "out", echo=lines.append, nats_settings=nats_settings)
    assert result.failure == ""
    [line] = [line for line in lines if "local model unavailable" in line]
    assert "corrupt" in line
    assert "the offline extractive writer drafts" in line
    assert any("written by offline-extractive" in line for line in lines)
