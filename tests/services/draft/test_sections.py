"""Section-by-section drafting against the scripted model server: citations come from alignment."""

from __future__ import annotations

import pytest

from services.draft.relevance import Passage
from services.draft.sections import (
    BASIC_GOAL,
    Aligned,
    align,
    draft_by_section,
    just_long_enough,
    ordered,
    reply_sentences,
    revise_by_sentence,
    section_goals,
    section_prompt,
    unheld,
)
from services.draft.settings import DraftModelSettings
from shared.findings import Finding
from shared.model import ModelClient
from shared.requirements import parse_request
from shared.sentences import split_sentences
from shared.units import EvidencePack, Unit
from tests.openai_server import ScriptedServer, hang, reply

QUERY = "请撰写《Transformer 阅读报告》，报告需包含以下部分：（1）模型结构；（2）实验结果。字数在300至500字。"
PAGES = [
    "The Transformer relies entirely on an attention mechanism to draw global dependencies between input and output. "
    "It dispenses with recurrence and convolutions entirely.",
    "The model achieves 28.4 BLEU on the WMT 2014 English-to-German translation task. "
    "Training took 3.5 days on eight P100 GPUs.",
]
ATTENTION = "Transformer完全依靠注意力机制来建立输入和输出之间的全局依赖关系。"
BLEU = "该模型在WMT 2014英德翻译任务上取得了28.4的BLEU分数。"
GPUS = "训练在八块P100 GPU上用了3.5天。"
UNRELATED = "今天天气很好，我们去公园散步吧。"


def pack() -> EvidencePack:
    units = [Unit(source="paper.pdf", kind="page", index=n, text=t, method="test") for n, t in enumerate(PAGES, 1)]
    return EvidencePack(task_id="t", units=units)


def client(url: str, timeout: float = 30) -> ModelClient:
    settings = DraftModelSettings(base_url=url, api_key="x", model="small", timeout=timeout, retries=0, per_section=True)
    return ModelClient(settings)


async def draft(*steps, timeout: float = 30):
    async with ScriptedServer(*steps) as server:
        written = await draft_by_section(client(server.url, timeout), parse_request(QUERY), QUERY, pack())
    return written, server.requests


async def test_each_section_is_one_call_with_the_instruction_after_the_evidence():
    _, requests = await draft(reply(ATTENTION), reply(BLEU))
    assert len(requests) == 2
    prompt = requests[0]["messages"][-1]["content"]
    assert prompt.index("dispenses with recurrence") < prompt.index("“模型结构”一节")


async def test_a_sentence_is_cited_to_the_page_it_comes_from():
    written, _ = await draft(reply(ATTENTION + GPUS), reply(BLEU))
    assert "输出之间的全局依赖关系[文档: paper.pdf, page 1]。" in written.text
    assert "用了3.5天[文档: paper.pdf, page 2]。" in written.text


async def test_a_sentence_no_evidence_says_is_dropped_with_a_finding():
    written, _ = await draft(reply(ATTENTION + UNRELATED), reply(BLEU))
    assert "公园" not in written.text
    assert [f.sentence for f in written.findings if f.check == "draft.sentence_unaligned"] == [UNRELATED]


async def test_a_repeated_sentence_is_dropped():
    written, _ = await draft(reply(ATTENTION), reply(BLEU + BLEU + ATTENTION))
    assert written.text.count("28.4的BLEU分数") == 1
    assert written.text.count("全局依赖关系") == 1
    assert sum(f.check == "draft.sentence_repeated" for f in written.findings) == 2


async def test_a_sentence_in_another_language_is_dropped():
    written, _ = await draft(reply(ATTENTION), reply(BLEU + " Training took 3.5 days on eight GPUs."))
    assert "Training took" not in written.text
    assert any(f.check == "draft.sentence_language" for f in written.findings)


async def test_a_garbage_reply_leaves_the_section_to_the_extractive_writer():
    written, _ = await draft(reply("!!!! ???? ...."), reply(BLEU))
    fallback = [f for f in written.findings if f.check == "draft.section_fallback"]
    assert [f.section for f in fallback] == ["模型结构"]
    assert "offline extractive writer" in fallback[0].message
    assert "[文档: paper.pdf, page 1]" in written.text.split("## （2）")[0]


async def test_a_reply_that_never_comes_ends_at_the_call_timeout():
    written, _ = await draft(hang(), reply(BLEU), timeout=1)
    fallback = [f for f in written.findings if f.check == "draft.section_fallback"]
    assert fallback
    assert "did not answer within 1s" in fallback[0].message
    assert "28.4的BLEU分数" in written.text


async def test_a_revision_renders_only_the_evidence_of_the_flagged_sentence_and_keeps_the_rest():
    text = (
        "《Transformer 阅读报告》\n\n## （1）模型结构\n\n"
        f"{ATTENTION[:-1]}[文档: paper.pdf, page 1]。该模型需要十天训练[文档: paper.pdf, page 2]。\n\n"
        f"## （2）实验结果\n\n{BLEU[:-1]}[文档: paper.pdf, page 2]。"
    )
    flagged = "该模型需要十天训练[文档: paper.pdf, page 2]。"
    finding = Finding(check="citation.unsupported", severity="error", message="The page does not say this.", sentence=flagged)
    async with ScriptedServer(reply(GPUS)) as server:
        written = await revise_by_sentence(client(server.url), text, [finding], parse_request(QUERY), QUERY, pack())
    assert len(server.requests) == 1
    prompt = server.requests[0]["messages"][-1]["content"]
    assert "Training took 3.5 days on eight P100 GPUs." in prompt
    assert "28.4" not in prompt
    assert "全局依赖关系" not in prompt
    assert written.text == text.replace(flagged, "训练在八块P100 GPU上用了3.5天[文档: paper.pdf, page 2]。")


FLAGGED = "该模型需要十天训练[文档: paper.pdf, page 2]。"
FLAGGED_TEXT = f"## （1）模型结构\n\n{ATTENTION[:-1]}[文档: paper.pdf, page 1]。{FLAGGED}"


async def revise_flagged(answer: str, query: str):
    finding = Finding(check="citation.unsupported", severity="error", message="unsupported", sentence=FLAGGED)
    async with ScriptedServer(reply(answer)) as server:
        return await revise_by_sentence(client(server.url), FLAGGED_TEXT, [finding], parse_request(query), query, pack())


@pytest.mark.parametrize("answer", ["", "今天天气很好。", "训练在八块V100 GPU上用了3.5天。"])
async def test_a_flagged_sentence_without_a_faithful_rendering_is_dropped_when_the_length_allows(answer):
    query = QUERY.replace("字数在300至500字。", "")
    written = await revise_flagged(answer, query)
    assert "十天" not in written.text
    assert "V100" not in written.text
    assert "全局依赖关系" in written.text
    assert any(f.check == "draft.sentence_dropped" for f in written.findings)


async def test_a_flagged_sentence_without_a_faithful_rendering_is_quoted_when_dropping_it_makes_the_report_too_short():
    written = await revise_flagged("今天天气很好。", QUERY)
    assert "十天" not in written.text
    assert "Training took 3.5 days on eight P100 GPUs [文档: paper.pdf, page 2]." in written.text
    assert [f.check for f in written.findings if f.check.startswith("draft.sentence_")][-1] == "draft.sentence_quoted"


async def test_a_drafted_sentence_with_a_number_its_evidence_lacks_is_dropped():
    written, _ = await draft(reply(BLEU), reply("该模型在WMT 2014英法翻译任务上取得了41.8的BLEU分数。"))
    assert "41.8" not in written.text
    assert [f.check for f in written.findings if "41.8" in (f.sentence or "")] == ["draft.sentence_unheld"]


async def test_a_section_written_past_its_length_target_is_cut_at_a_sentence():
    query = QUERY.replace("字数在300至500字", "字数在60至80字")
    async with ScriptedServer(reply(ATTENTION + GPUS + BLEU), reply(BLEU)) as server:
        written = await draft_by_section(client(server.url), parse_request(query), query, pack())
    first = written.text.split("## （2）")[0]
    assert "全局依赖关系" in first
    assert "28.4" not in first


async def test_the_model_s_preamble_and_heading_fragments_are_not_sentences():
    preamble = "报告《Transformer 阅读报告》中“模型结构”一节的正文如下："
    written, _ = await draft(reply(preamble + "\n2. 模型结构\n" + ATTENTION), reply(BLEU))
    assert "正文如下" not in written.text
    assert "2. 模型结构" not in written.text
    assert "全局依赖关系[文档: paper.pdf, page 1]。" in written.text


def test_a_short_line_without_an_end_mark_before_text_is_a_heading_not_a_sentence():
    reply = "引用质量的评估方法与指标\n引用召回率关注一句话的全部引用是否足以支持这句话的内容。"

    assert reply_sentences(reply, "stop") == ["引用召回率关注一句话的全部引用是否足以支持这句话的内容。"]


def test_a_reply_of_one_short_sentence_without_an_end_mark_is_kept():
    assert reply_sentences("检索增强生成提高了回答的准确性", "stop") == ["检索增强生成提高了回答的准确性"]


@pytest.mark.parametrize(
    ("sentence", "evidence", "missing"),
    [
        ("在八块P100 GPU上训练了3.5天。", "Training took 3.5 days on eight P100 GPUs.", []),
        ("数据集有1.5万个句对。", "The dataset has 15,000 sentence pairs.", []),
        ("训练用了300,000步。", "We trained for 300000 steps.", []),
        ("该方法基于RAG。", "Each paragraph is cited.", ["RAG"]),
        ("得分为41.8。", "It scores 28.4 BLEU.", ["41.8"]),
    ],
)
def test_terms_and_numbers_a_sentence_names_are_looked_up_in_its_evidence(sentence, evidence, missing):
    assert unheld(sentence, evidence) == missing


async def test_an_english_sentence_the_offline_reviser_adds_is_rendered_in_the_request_language():
    first, second = split_sentences(PAGES[1])
    units = [Unit(source="paper.pdf", kind="page", index=1, text=PAGES[1], method="test")]
    text = f"## （1）实验结果\n\n{first[:-1]} [文档: paper.pdf, page 1]."
    finding = Finding(check="length.too_short", severity="error", message="too short")
    async with ScriptedServer(reply(GPUS)) as server:
        written = await revise_by_sentence(
            client(server.url), text, [finding], parse_request(QUERY), QUERY, EvidencePack(task_id="t", units=units)
        )
    assert second in server.requests[0]["messages"][-1]["content"]
    assert written.text.endswith("训练在八块P100 GPU上用了3.5天[文档: paper.pdf, page 1]。")


async def test_a_flagged_sentence_that_is_already_its_evidence_s_rendering_is_dropped_not_rendered_again():
    query = QUERY.replace("字数在300至500字。", "")
    flagged = "训练在八块P100 GPU上用了3.5天[文档: paper.pdf, page 2]。"
    text = f"## （1）模型结构\n\n{ATTENTION[:-1]}[文档: paper.pdf, page 1]。{flagged}"
    finding = Finding(check="citation.unsupported", severity="error", message="unsupported", sentence=flagged)
    async with ScriptedServer(reply(GPUS)) as server:
        written = await revise_by_sentence(client(server.url), text, [finding], parse_request(query), query, pack())
    assert "3.5天" not in written.text
    assert any(f.check == "draft.sentence_dropped" for f in written.findings)


def test_the_offline_reviser_lengthens_a_model_draft_only_just_past_the_minimum():
    length = just_long_enough(parse_request(QUERY)).length
    assert (length.minimum, length.maximum) == (300, 330)


def test_a_basic_information_section_gets_a_short_goal_and_the_other_sections_share_the_rest():
    requirements = parse_request("撰写阅读报告，包含（1）论文基本信息；（2）核心内容摘要；（3）关键技术解析。字数2000至3000字。")
    goals = section_goals(requirements, EvidencePack(task_id="t", units=[]), 3)

    assert goals == [BASIC_GOAL, (2500 - BASIC_GOAL) // 2, (2500 - BASIC_GOAL) // 2]


async def test_a_reference_section_takes_no_model_call():
    query = QUERY.replace("（2）实验结果。", "（2）实验结果；（3）参考文献。")
    async with ScriptedServer(reply(ATTENTION), reply(BLEU)) as server:
        written = await draft_by_section(client(server.url), parse_request(query), query, pack())
    assert len(server.requests) == 2
    assert written.text.rstrip().endswith("## （3）参考文献")


def test_a_reference_section_gets_no_share_of_the_length():
    requirements = parse_request("撰写报告，包含（1）方法；（2）结果；（3）参考资料。字数900至1100字。")
    assert section_goals(requirements, EvidencePack(task_id="t", units=[]), 3) == [500, 500, 0]


async def test_a_paper_s_we_is_rendered_as_the_authors_even_when_the_model_keeps_the_first_person():
    evidence = "We trained the model for 3.5 days on eight P100 GPUs."
    units = [Unit(source="paper.pdf", kind="page", index=1, text=evidence, method="test")]
    flagged = "训练花了十天[文档: paper.pdf, page 1]。"
    text = f"## （1）实验结果\n\n{flagged}"
    finding = Finding(check="citation.unsupported", severity="error", message="unsupported", sentence=flagged)
    async with ScriptedServer(reply("我们在八块P100 GPU上训练了3.5天。")) as server:
        written = await revise_by_sentence(
            client(server.url), text, [finding], parse_request(QUERY), QUERY, EvidencePack(task_id="t", units=units)
        )
    assert "作者在八块P100 GPU上训练了3.5天[文档: paper.pdf, page 1]。" in written.text


REGULATION = (
    "明确网络直播平台的义务范围对于网络服务提供者来说保护用户数据信息、保全案件证据、维护网络空间洁净等是最基本的义务。"
    "我国早已形成对直播平台进行监管的法律体系，但对直播平台的法律监管仍面临法律法规尚不完善、执法机制运行不畅等困境。"
)


def regulation_passages() -> list[Passage]:
    unit = Unit(source="zh.pdf", kind="page", index=6, text=REGULATION, method="test")
    return [Passage(unit, tuple(split_sentences(REGULATION)))]


def test_a_sentence_in_its_evidence_s_language_that_the_page_neither_restates_nor_holds_the_words_of_is_dropped():
    general = "避风港原则是一种法律制度，它允许网络服务提供者在不承担法律责任的情况下，为用户提供一定的保护。"
    result = align([general], regulation_passages(), "zh", Aligned())
    assert result.sentences == []
    assert [f.check for f in result.findings] == ["draft.sentence_unsupported"]


def test_a_sentence_in_its_evidence_s_language_that_restates_the_page_is_kept():
    faithful = "网络服务提供者的基本义务包括保护用户数据信息、保全案件证据和维护网络空间洁净。"
    assert align([faithful], regulation_passages(), "zh", Aligned()).sentences == [
        "网络服务提供者的基本义务包括保护用户数据信息、保全案件证据和维护网络空间洁净[文档: zh.pdf, page 6]。"
    ]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["其次，平台负有审核义务。", "再次，主播应当实名。"], ["平台负有审核义务。", "主播应当实名。"]),
        (["首先，平台负有审核义务。", "其次，主播应当实名。"], ["首先，平台负有审核义务。", "其次，主播应当实名。"]),
        (["Secondly, the model is small."], ["The model is small."]),
    ],
)
def test_a_step_word_no_earlier_step_precedes_is_taken_off(sentences, expected):
    assert ordered(sentences) == expected


@pytest.mark.parametrize(("kind", "person"), [("frame", "“讲者”或“该视频”"), ("page", "“作者”或“该文”")])
def test_a_section_retells_a_video_as_the_speaker_and_a_paper_as_the_authors(kind, person):
    unit = Unit(source="talk.mp4" if kind == "frame" else "paper.pdf", kind=kind, index=1, text=ATTENTION, method="test")
    prompt = section_prompt("视频补充要点", 200, [Passage(unit, (ATTENTION,))], parse_request(QUERY))
    assert f"称{person}" in prompt


def test_a_drafted_sentence_retelling_a_paper_s_we_says_the_authors():
    unit = Unit(source="paper.pdf", kind="page", index=1, text=PAGES[0], method="test")
    evidence = "We propose the Transformer, which relies entirely on an attention mechanism."
    [sentence] = align(["我们提出了Transformer，它完全依靠注意力机制。"], [Passage(unit, (evidence,))], "zh", Aligned()).sentences
    assert sentence.startswith("作者提出了Transformer")


def test_a_list_number_inside_a_reply_line_is_taken_off_its_sentence():
    sentences = reply_sentences("作者分析了模型在机器翻译任务上的性能提升。3. 自注意力机制被用于阅读理解和文本摘要等任务。", "stop")
    assert sentences[1] == "自注意力机制被用于阅读理解和文本摘要等任务。"


def test_a_sentence_opening_with_a_decimal_keeps_it():
    assert reply_sentences("3.5天的训练足以让模型超过以往所有的结果。", "stop") == ["3.5天的训练足以让模型超过以往所有的结果。"]


def test_a_drafted_sentence_retelling_a_lecture_s_we_says_the_speaker_without_a_label():
    speech = "在上一章中，我们开始探讨Transformer的内部运作机制。"
    unit = Unit(source="talk.mp4", kind="frame", index=1, text=speech, method="test")
    [sentence] = align(["讲者：在上一章中，我们开始探讨Transformer的内部运作机制。"], [Passage(unit, (speech,))], "zh", Aligned()).sentences
    assert sentence == "在上一章中，讲者开始探讨Transformer的内部运作机制[talk.mp4, Frame 1]。"
