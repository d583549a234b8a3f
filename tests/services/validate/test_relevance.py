"""Relevance and coverage: off-topic paragraphs, source kinds the request names, main sources never cited."""

from services.validate.relevance import check_main_cited, check_off_topic, check_source_kinds
from shared.citations import unit_citation
from shared.requirements import Requirements
from shared.units import EvidencePack, Unit

REQUIREMENTS = Requirements(language="zh", cite_sources=True)
QUERY = "请根据我提供的论文，撰写一篇关于大模型微调学习动态的阅读报告，注明来源。"
PAPER = [
    "本文研究大语言模型微调过程中的学习动态，分析监督微调与直接偏好优化中梯度更新如何影响其他样本的预测概率。",
    "我们提出挤压效应：在离线偏好优化中，负梯度把概率质量挤压到最可能的输出上，导致重复和幻觉。",
    "实验表明，在监督微调阶段加入负样本可以缓解挤压效应，并提升后续偏好优化的对齐效果。",
] * 4
WEB = [
    ("出国留学申请指南", "申请英国留学需要准备雅思成绩、个人陈述和推荐信，签证材料包括存款证明和录取通知书，学费每年约二十万元人民币。"),
    ("大模型微调入门", "监督微调使用指令数据训练模型，偏好优化利用人类反馈让模型输出更符合预期，学习动态决定了预测概率的变化。"),
]


def make_pack(with_paper: bool = True) -> EvidencePack:
    units = [Unit(source=title + ".json", kind="chunk", index=1, text=text, method="t", title=title) for title, text in WEB]
    if with_paper:
        units += [Unit(source="paper.pdf", kind="page", index=n, text=t, method="pypdf") for n, t in enumerate(PAPER, 1)]
    return EvidencePack(task_id="t", units=units)


PACK = make_pack()


def cite(source: str) -> str:
    return unit_citation(next(u for u in PACK.units if u.source == source))


def report(*paragraphs: str) -> str:
    return "\n\n".join(["《阅读报告》", *paragraphs])


ON_TOPIC = f"论文分析了监督微调与直接偏好优化中的学习动态，并提出挤压效应。{cite('paper.pdf')}"
WEB_ON_TOPIC = f"监督微调使用指令数据训练模型，偏好优化利用人类反馈让模型输出更符合预期。{cite('大模型微调入门.json')}"
WEB_OFF_TOPIC = f"申请英国留学需要准备雅思成绩、个人陈述和推荐信，签证材料包括存款证明和录取通知书。{cite('出国留学申请指南.json')}"


def test_a_paragraph_quoting_an_unrelated_retrieved_page_is_off_topic():
    findings = check_off_topic(report(ON_TOPIC, WEB_OFF_TOPIC), REQUIREMENTS, PACK, QUERY)

    assert [(f.check, f.sentence_index) for f in findings] == [("claim.off_topic", 2)]


def test_a_paragraph_quoting_a_related_retrieved_page_is_on_topic():
    assert check_off_topic(report(ON_TOPIC, WEB_ON_TOPIC), REQUIREMENTS, PACK, QUERY) == []


def test_relevance_is_not_judged_against_a_request_alone():
    pack = make_pack(with_paper=False)
    text = report(WEB_OFF_TOPIC)

    assert check_off_topic(text, REQUIREMENTS, pack, QUERY) == []


def test_a_video_the_request_names_but_the_task_lacks_is_a_finding():
    findings = check_source_kinds("请基于我提供的文章及相关视频撰写学习报告。", PACK)

    assert [(f.check, "video" in f.message) for f in findings] == [("coverage.source_missing", True)]


def test_a_named_kind_the_task_has_is_no_finding():
    assert check_source_kinds(QUERY, PACK) == []


def test_a_paper_named_in_a_task_of_web_pages_only_is_a_finding():
    findings = check_source_kinds(QUERY, make_pack(with_paper=False))

    assert [f.check for f in findings] == ["coverage.source_missing"]


def test_a_main_source_never_cited_is_an_error_when_sources_are_required():
    findings = check_main_cited(report(WEB_ON_TOPIC), REQUIREMENTS, PACK)

    assert [(f.check, f.severity, f.evidence) for f in findings] == [("coverage.main_uncited", "error", "paper.pdf")]


def test_a_cited_main_source_is_no_finding():
    assert check_main_cited(report(ON_TOPIC), REQUIREMENTS, PACK) == []


PAPER_EN = [
    "We study the learning dynamics of fine-tuning large language models, explaining how a gradient step on one "
    "example changes the predicted probability of other responses.",
    "Direct preference optimization with off-policy negative responses causes a squeezing effect: probability mass "
    "is pushed onto the most likely token, which explains repetition and hallucination.",
] * 4
WEB_ZH = {
    "出国留学申请指南": WEB[0][1],
    "偏好优化笔记": "直接偏好优化让模型在成对的回答中提高被选回答的概率、压低被拒回答的概率，训练中负梯度会让概率分布变得更尖锐，"
    "模型容易重复输出同样的词。",
}
ENGLISH_PACK = EvidencePack(
    task_id="t",
    units=[Unit(source=f"{title}.json", kind="chunk", index=1, text=text, method="t", title=title) for title, text in WEB_ZH.items()]
    + [Unit(source="paper.pdf", kind="page", index=n, text=t, method="pypdf") for n, t in enumerate(PAPER_EN, 1)],
)


def quoting(title: str) -> str:
    """A Chinese report on the English paper with one paragraph quoting the web page ``title``."""
    cited = {u.source: unit_citation(u) for u in ENGLISH_PACK.units}
    own = f"The paper explains the squeezing effect of preference optimization.{cited['paper.pdf']}"
    return report(own, WEB_ZH[title] + cited[f"{title}.json"])


def test_a_chinese_paragraph_about_the_english_paper_is_on_topic_though_it_shares_no_words():
    assert check_off_topic(quoting("偏好优化笔记"), REQUIREMENTS, ENGLISH_PACK, QUERY) == []


def test_a_chinese_paragraph_about_studying_abroad_is_off_topic_for_an_english_paper():
    findings = check_off_topic(quoting("出国留学申请指南"), REQUIREMENTS, ENGLISH_PACK, QUERY)

    assert [(f.check, "meaning" in f.message) for f in findings] == [("claim.off_topic", True)]
