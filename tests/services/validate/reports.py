"""Hand-made requirements, evidence pack and reports for the check tests."""

from __future__ import annotations

from shared.citations import unit_citation
from shared.requirements import LengthRange, Requirements, Section
from shared.units import EvidencePack, SourceMeta, Unit

PAPER = "paper.pdf"
PAGES_FILE = "long_context_pages.json"
WEB_TITLE = "Transformer模型PyTorch实现：从原理到代码完全解析-CSDN博客"

REQUIREMENTS = Requirements(
    title="测试阅读报告",
    sections=[Section(marker="（1）", name="论文基本信息"), Section(marker="（2）", name="核心内容摘要")],
    language="zh",
    cite_sources=True,
)


PAGE_TEXTS = [
    "Learning Dynamics of LLM Finetuning. Published as a conference paper at ICLR 2025.",
    "本文提出了分解微调学习动态的框架，并解释了挤压效应。",
    "第3页的内容。",
]
CHUNK_TEXTS = [WEB_TITLE, "Transformer以自注意力为核心，完全摒弃了循环结构。", "网页第2块。"]


def make_pack() -> EvidencePack:
    """A paper of three pages and one retrieved web page of three chunks."""
    pages = [Unit(source=PAPER, kind="page", index=n, text=t, method="pypdf") for n, t in enumerate(PAGE_TEXTS, 1)]
    chunks = [
        Unit(source=PAGES_FILE, kind="chunk", index=n, text=t, method="reference-chunker", title=WEB_TITLE)
        for n, t in enumerate(CHUNK_TEXTS)
    ]
    return EvidencePack(
        task_id="t1",
        units=pages + chunks,
        sources=[
            SourceMeta(source=PAPER, kind="pdf", units=3, pages=3),
            SourceMeta(source=PAGES_FILE, kind="webpages", units=3, pages=1),
        ],
    )


PACK = make_pack()


def cite(index: int) -> str:
    """The canonical bracket for unit ``index`` of ``PACK``."""
    return unit_citation(PACK.units[index])


def good_report() -> str:
    """A complete report meeting ``REQUIREMENTS``, every section cited."""
    return (
        "《测试阅读报告》\n\n"
        "（1）论文基本信息\n\n"
        f"论文题目：Learning Dynamics of LLM Finetuning，发表于ICLR 2025。{cite(0)}\n\n"
        "（2）核心内容摘要\n\n"
        f"论文提出了分解微调学习动态的框架，并解释了挤压效应。{cite(1)}\n"
        f"Transformer以自注意力为核心。{cite(4)}\n"
    )


def with_length(minimum: int | None = None, maximum: int | None = None, unit: str = "zi") -> Requirements:
    """``REQUIREMENTS`` with a length range."""
    return REQUIREMENTS.model_copy(update={"length": LengthRange(minimum=minimum, maximum=maximum, unit=unit)})
