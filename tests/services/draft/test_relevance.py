"""Which evidence a model-written section carries: the main sources first, across languages."""

from services.draft.relevance import Relevance
from shared.units import EvidencePack, Unit

PAPER = [
    "The Transformer is based solely on attention mechanisms, dispensing with recurrence and convolutions.",
    "Multi-head attention allows the model to attend to information from different representation subspaces.",
    "The encoder maps an input sequence of symbol representations to a sequence of continuous representations.",
]
WEB = [
    "论文的核心内容摘要应当简要介绍研究背景、目的、方法、结果和结论等关键信息。",
    "撰写论文阅读报告时，关键技术解析部分要说明论文采用的主要技术和方法。",
]
QUERY = "请根据论文撰写《阅读报告》，概括论文的方法与结论，包含以下部分：（1）核心内容摘要；（2）关键技术解析。"


def test_a_section_ranks_the_closest_paper_passage_before_web_pages_about_writing_papers():
    units = [Unit(source="paper.pdf", kind="page", index=i + 1, text=t, method="pypdf") for i, t in enumerate(PAPER)]
    units += [Unit(source="web.json", kind="chunk", index=i, text=t, method="chunker") for i, t in enumerate(WEB)]
    ranked = Relevance(EvidencePack(task_id="t", units=units)).ranked("核心内容摘要", "", QUERY)
    assert [p.unit.source for p, _ in ranked][:2] == ["paper.pdf", "web.json"]


def test_a_paper_section_ranks_the_paper_before_a_lecture_in_the_requests_language():
    lecture = "这篇论文的核心内容摘要：Transformer完全基于注意力机制，摒弃了循环和卷积，方法简单而结论清楚。"
    units = [Unit(source="paper.pdf", kind="page", index=i + 1, text=t, method="pypdf") for i, t in enumerate(PAPER)]
    units.append(Unit(source="talk.mp4", kind="frame", index=1, text=lecture, method="frames", start=0.0))
    ranked = Relevance(EvidencePack(task_id="t", units=units)).ranked("核心内容摘要", "", QUERY)
    assert ranked[0][0].unit.source == "paper.pdf"
