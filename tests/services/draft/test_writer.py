import re

import pytest

from services.draft.writer import (
    Candidate,
    Fill,
    draft_report,
    evidence_sentences,
    grow,
    revise_report,
    section_kinds,
    tidy,
    usable,
)
from shared.citations import find_citations, resolve, strip_citations
from shared.findings import Finding
from shared.report import sentence_texts
from shared.requirements import LengthRange, Requirements, Section, parse_request
from shared.sentences import split_sentences
from shared.units import EvidencePack, SourceMeta, Unit
from shared.wordcount import count_zi

PAPER_PAGES = [
    "Attention Is All You Need\nAshish Vaswani, Noam Shazeer\nAbstract\nThe dominant sequence transduction "
    "models are based on complex recurrent or convolutional neural networks. We propose a new simple "
    "network architecture, the Transformer, based solely on attention mechanisms. Experiments on two "
    "machine translation tasks show these models to be superior in quality.",
    "The Transformer follows an encoder and decoder architecture using stacked self-attention layers. "
    "Multi-head attention allows the model to jointly attend to information from different positions. "
    "We use sinusoidal positional encodings because the model contains no recurrence.",
    "On the WMT 2014 English-to-German translation task the big model reaches 28.4 BLEU points. "
    "Training took 3.5 days on eight GPUs, a small fraction of the cost of earlier models. "
    "In conclusion, attention-based models generalise well to other tasks such as parsing.",
]
WEB_CHUNKS = [
    "注意力机制详解",
    "注意力机制让模型在处理一个词时关注句子中的其他相关词。Transformer 完全依靠注意力机制，不再使用循环结构。"
    "多头注意力把表示划分到多个子空间，使模型能够同时关注不同位置的信息。",
    "位置编码为每个词加入顺序信息，因为注意力本身并不感知词的先后顺序。编码器和解码器都由多层自注意力和前馈网络堆叠而成。"
    "这种结构便于并行计算，因此训练速度明显快于循环神经网络。",
    "在机器翻译任务上，Transformer 取得了当时最好的翻译质量。研究者认为注意力模型也能迁移到句法分析等其他任务。"
    "许多后来的大语言模型都沿用了 Transformer 的基本结构。总的来说，这篇论文改变了自然语言处理的研究方向。",
]
SPEECH = [
    "In this video we walk through how attention lets each word look at every other word in the sentence.",
    "The speaker explains that the query and key vectors decide how much attention each position receives.",
]
QUERY = (
    "请根据提供的论文和视频，撰写一篇《Transformer论文阅读报告》，介绍注意力机制与模型结构，并标注来源。"
    "包含以下部分：（1）论文基本信息；（2）核心内容摘要；（3）关键技术解析；（4）视频补充要点。"
)


def make_pack() -> EvidencePack:
    units = [Unit(source="paper.pdf", kind="page", index=i + 1, text=t, method="pypdf") for i, t in enumerate(PAPER_PAGES)]
    units += [
        Unit(source="long_context.json", kind="chunk", index=i, text=t, method="reference-chunker", title="注意力机制详解")
        for i, t in enumerate(WEB_CHUNKS)
    ]
    units += [
        Unit(source="talk.mp4", kind="frame", index=i + 1, text=t, method="whisper", start=10.0 * i, end=10.0 * (i + 1))
        for i, t in enumerate(SPEECH)
    ]
    sources = [
        SourceMeta(source="paper.pdf", kind="pdf", units=3, pages=3, title="Attention Is All You Need",
                   authors=["Ashish Vaswani", "Noam Shazeer"]),
        SourceMeta(source="long_context.json", kind="long_context", units=4),
        SourceMeta(source="talk.mp4", kind="video", units=2),
    ]
    return EvidencePack(task_id="t1", units=units, sources=sources)


def make_requirements(length: LengthRange | None = None, language: str = "zh") -> Requirements:
    names = ["论文基本信息", "核心内容摘要", "关键技术解析", "视频补充要点"]
    return Requirements(
        title="Transformer论文阅读报告",
        sections=[Section(marker=f"（{i + 1}）", name=name) for i, name in enumerate(names)],
        length=length,
        language=language,
        cite_sources=True,
    )


def body_sentences(report: str) -> list[str]:
    lines = [line for line in report.split("\n") if line.strip() and not line.startswith(("#", "《"))]
    return [s for line in lines for s in split_sentences(line)]


def citations_resolve(sentence: str, pack: EvidencePack) -> bool:
    groups = find_citations(sentence)
    return bool(groups) and all(resolve(c, pack.units) for g in groups for c in g.citations)


def section_body(report: str, name: str) -> str:
    return report.split(name, 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def pack() -> EvidencePack:
    return make_pack()


def test_draft_starts_with_the_title_line(pack):
    report = draft_report(make_requirements(), QUERY, pack)
    assert report.split("\n")[0] == "《Transformer论文阅读报告》"


def test_draft_writes_required_sections_in_order_as_the_request_writes_them(pack):
    report = draft_report(make_requirements(), QUERY, pack)
    headings = [line for line in report.split("\n") if line.startswith("## ")]
    assert headings == ["## （1）论文基本信息", "## （2）核心内容摘要", "## （3）关键技术解析", "## （4）视频补充要点"]


def test_every_draft_sentence_carries_a_citation_that_resolves(pack):
    sentences = body_sentences(draft_report(make_requirements(), QUERY, pack))
    assert sentences
    assert all(citations_resolve(s, pack) for s in sentences)


def test_draft_repeats_no_sentence(pack):
    sentences = [strip_citations(s) for s in body_sentences(draft_report(make_requirements(), QUERY, pack))]
    assert len(sentences) == len(set(sentences))


def test_draft_is_deterministic(pack):
    requirements = make_requirements(LengthRange(minimum=200, maximum=300))
    assert draft_report(requirements, QUERY, pack) == draft_report(requirements, QUERY, make_pack())


def test_draft_length_lands_inside_the_requested_range(pack):
    report = draft_report(make_requirements(LengthRange(minimum=200, maximum=300)), QUERY, pack)
    assert 200 <= count_zi(report) <= 300


def test_draft_without_length_gives_each_section_the_default_sentence_count(pack):
    report = draft_report(make_requirements(), QUERY, pack)
    assert len(split_sentences(section_body(report, "核心内容摘要").strip())) == 4


def test_basic_information_section_names_the_pdf_cited_to_page_one(pack):
    body = section_body(draft_report(make_requirements(), QUERY, pack), "论文基本信息")
    assert "论文题目：Attention Is All You Need [文档: paper.pdf, page 1]。" in body
    assert "作者：Ashish Vaswani、Noam Shazeer [文档: paper.pdf, page 1]。" in body


def with_metadata(pack: EvidencePack, first_page: str) -> EvidencePack:
    """``pack`` with affiliations and a venue for the paper, and ``first_page`` as its page 1."""
    extra = {"affiliations": ["Google Brain", "University of Toronto"], "venue": "NIPS 2017"}
    sources = [meta.model_copy(update=extra) if meta.source == "paper.pdf" else meta for meta in pack.sources]
    units = [u.model_copy(update={"text": first_page}) if u.source == "paper.pdf" and u.index == 1 else u for u in pack.units]
    return pack.model_copy(update={"sources": sources, "units": units})


def test_basic_information_section_states_the_affiliations_and_venue_page_one_gives(pack):
    page = PAPER_PAGES[0].replace("Noam Shazeer\n", "Noam Shazeer\nGoogle Brain, University of Toronto\nNIPS 2017\n")
    body = section_body(draft_report(make_requirements(), QUERY, with_metadata(pack, page)), "论文基本信息")

    assert "作者单位：Google Brain、University of Toronto [文档: paper.pdf, page 1]。" in body
    assert "发表信息：NIPS 2017 [文档: paper.pdf, page 1]。" in body


def test_basic_information_leaves_out_facts_page_one_does_not_print(pack):
    body = section_body(draft_report(make_requirements(), QUERY, with_metadata(pack, PAPER_PAGES[0])), "论文基本信息")

    assert "作者单位" not in body
    assert "发表信息" not in body
    assert "页数" not in body
    assert "论文题目：Attention Is All You Need [文档: paper.pdf, page 1]。" in body


def test_a_section_draws_on_the_main_source_before_web_pages_in_the_request_language(pack):
    body = section_body(draft_report(make_requirements(), QUERY, pack), "核心内容摘要")
    assert all("[文档: paper.pdf, page" in s for s in split_sentences(body.strip()))


def test_video_section_draws_on_the_video_before_sentences_in_the_request_language(pack):
    report = draft_report(make_requirements(LengthRange(minimum=200, maximum=300)), QUERY, pack)
    first = split_sentences(section_body(report, "视频补充要点").strip())[0]
    assert "[talk.mp4, Frame" in first


def test_a_video_section_of_a_task_without_video_keeps_to_the_main_sources_not_web_pages():
    assert section_kinds("（4）视频补充要点", {"page", "chunk"}) == {"page"}


def test_a_video_section_keeps_to_the_video_when_the_task_has_one():
    assert section_kinds("（4）视频补充要点", {"page", "chunk", "frame"}) == {"frame"}


def test_draft_without_required_sections_writes_the_default_three(pack):
    report = draft_report(Requirements(language="en"), "Summarise the Transformer paper.", pack)
    headings = [line for line in report.split("\n") if line.startswith("#")]
    assert headings == ["# Summarise the Transformer paper", "## Introduction", "## Main points", "## Conclusion"]


@pytest.mark.parametrize(
    "sentence",
    ["注意力机制详解", "短句。", "2014 2015 2016 2017 2018 2019 2020.", "See https://example.org/a/b/c.", "Results [12] are good ones here now.",
     "In Advances in Neural Information Processing Systems, pages 3104–3112, 2014."],
)
def test_junk_sentences_are_not_usable(sentence):
    assert not usable(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Published Online August 2024 in Hans. https://www.hanspub.org/journal/ecl互联网视阈下网络直播平台的法律监管王田收稿日期：2024年4月12日。",
        "发布日期：2024年7月30日摘 要网络直播作为一种新型的社交媒体模式，丰富人们业余生活的同时拉动信息产业的发展。",
        "关键词网络直播平台，法律监管，行刑衔接，平台义务Legal Supervision of Live Streaming Platforms Received: Apr.",
    ],
)
def test_a_paper_s_masthead_is_not_usable(sentence):
    assert not usable(sentence)


@pytest.mark.parametrize(
    ("sentence", "tidied"),
    [
        ("引言互联网的发展深刻地改变了人们的生活和交往方式。", "互联网的发展深刻地改变了人们的生活和交往方式。"),
        ("平台上的违法犯罪逐渐呈现“去中心化”[1]的样态。", "平台上的违法犯罪逐渐呈现“去中心化”的样态。"),
        ("2 2023 年 4 月，某网络直播平台用户被约谈教育。", "2023 年 4 月，某网络直播平台用户被约谈教育。"),
    ],
)
def test_a_glued_heading_word_and_reference_marks_are_tidied_away(sentence, tidied):
    assert tidy(sentence) == tidied


@pytest.mark.parametrize("sentence", ["如何评估AI回答中的引用质量？", "What makes a citation trustworthy for a reader?"])
def test_a_question_is_not_usable(sentence):
    assert not usable(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["二是从生成答案走向生成可验证的答案，把引用核查作为标准环节。", "Second, the decoder attends over the output of the encoder stack."],
)
def test_a_sentence_continuing_an_enumeration_is_not_usable(sentence):
    assert not usable(sentence)


def test_a_sentence_announcing_a_list_is_not_usable():
    assert not usable("对于检索增强生成系统而言，幻觉主要有两个来源。")


def test_a_sentence_with_a_count_that_states_a_fact_is_usable():
    assert usable("该模型在八块GPU上训练了三天，共使用两个阶段的学习率调度。")


def test_a_sentence_giving_a_link_after_a_colon_is_usable():
    assert usable("论文的基本信息还包括原文链接，论文原文链接：https://github.com/citecheck/citecheck，读者可以在这里找到全文。")


def test_plain_evidence_sentence_is_usable():
    assert usable("Multi-head attention allows the model to attend to different positions.")


# --- revision ---


def unresolved(report: str, pack: EvidencePack, sentence_text: str, bad: str) -> tuple[str, Finding]:
    """``report`` with the sentence containing ``sentence_text`` re-cited to ``bad``, and the finding naming it."""
    sentence = next(s for s in body_sentences(report) if sentence_text in s)
    broken = re.sub(r"\[[^\]]*\]", bad, sentence, count=1)
    finding = Finding(check="citation.unresolved", severity="error", message="", sentence=broken, citation=bad)
    return report.replace(sentence, broken), finding


def test_revision_keeps_unflagged_sentences_byte_identical(pack):
    requirements = make_requirements()
    report = draft_report(requirements, QUERY, pack)
    broken, finding = unresolved(report, pack, "sinusoidal", "[文档: paper.pdf, page 9]")
    revised = revise_report(broken, [finding], requirements, QUERY, pack)
    kept = [s for s in body_sentences(broken) if s != finding.sentence]
    assert all(s in body_sentences(revised) for s in kept)


def test_unresolved_citation_is_repointed_to_the_unit_holding_the_sentence(pack):
    requirements = make_requirements()
    report = draft_report(requirements, QUERY, pack)
    broken, finding = unresolved(report, pack, "sinusoidal", "[文档: paper.pdf, page 9]")
    revised = revise_report(broken, [finding], requirements, QUERY, pack)
    sentence = next(s for s in body_sentences(revised) if "sinusoidal" in s)
    assert "[文档: paper.pdf, page 2]" in sentence


def test_unresolved_citation_on_an_unsupported_sentence_drops_it(pack):
    requirements = make_requirements()
    report = draft_report(requirements, QUERY, pack) + "\n\n量子计算将在明年彻底取代所有经典计算机[网页: https://nowhere.example]。"
    finding = Finding(
        check="citation.unresolved", severity="error", message="",
        sentence="量子计算将在明年彻底取代所有经典计算机[网页: https://nowhere.example]。",
        citation="[网页: https://nowhere.example]",
    )
    revised = revise_report(report, [finding], requirements, QUERY, pack)
    assert "量子计算" not in revised
    assert revised == report.rsplit("\n\n", 1)[0]


def test_missing_section_is_added_in_its_required_position(pack):
    requirements = make_requirements()
    report = draft_report(requirements, QUERY, pack)
    start = report.index("## （3）关键技术解析")
    without = report[:start] + report[report.index("## （4）视频补充要点") :]
    finding = Finding(check="structure.section_missing", severity="error", message="", section="关键技术解析")
    revised = revise_report(without, [finding], requirements, QUERY, pack)
    headings = [line for line in revised.split("\n") if line.startswith("## ")]
    assert headings == ["## （1）论文基本信息", "## （2）核心内容摘要", "## （3）关键技术解析", "## （4）视频补充要点"]
    assert all(citations_resolve(s, pack) for s in split_sentences(section_body(revised, "关键技术解析").strip()))


def test_empty_section_gets_filled(pack):
    requirements = make_requirements()
    report = draft_report(requirements, QUERY, pack)
    start = report.index("## （4）视频补充要点")
    emptied = report[:start] + "## （4）视频补充要点"
    finding = Finding(check="structure.section_empty", severity="error", message="", section="视频补充要点")
    revised = revise_report(emptied, [finding], requirements, QUERY, pack)
    assert split_sentences(section_body(revised, "视频补充要点").strip())


def test_missing_title_is_added(pack):
    requirements = make_requirements()
    report = draft_report(requirements, QUERY, pack)
    untitled = report.split("\n", 2)[2]
    finding = Finding(check="structure.title_missing", severity="error", message="")
    revised = revise_report(untitled, [finding], requirements, QUERY, pack)
    assert revised.split("\n")[0] == "《Transformer论文阅读报告》"


def test_too_short_report_is_lengthened_into_range(pack):
    requirements = make_requirements(LengthRange(minimum=200, maximum=300))
    short = draft_report(make_requirements(LengthRange(minimum=60, maximum=100)), QUERY, pack)
    finding = Finding(check="length.too_short", severity="error", message="")
    revised = revise_report(short, [finding], requirements, QUERY, pack)
    assert 200 <= count_zi(revised) <= 300
    assert set(sentence_texts(short)) <= set(sentence_texts(revised))


def test_too_long_report_is_shortened_and_keeps_its_sections(pack):
    long = draft_report(make_requirements(LengthRange(minimum=200, maximum=300)), QUERY, pack)
    requirements = make_requirements(LengthRange(minimum=100, maximum=160))
    finding = Finding(check="length.too_long", severity="error", message="")
    revised = revise_report(long, [finding], requirements, QUERY, pack)
    assert count_zi(revised) <= 160
    assert all(split_sentences(section_body(revised, s.name).strip()) for s in requirements.sections)


def test_revision_without_findings_changes_nothing(pack):
    requirements = make_requirements()
    report = draft_report(requirements, QUERY, pack)
    assert revise_report(report, [], requirements, QUERY, pack) == report


def test_added_paragraphs_stay_inside_sections_headed_without_markdown(pack):
    requirements = make_requirements(LengthRange(minimum=200, maximum=300))
    report = "\n\n".join(
        ["《Transformer论文阅读报告》", "（1）论文基本信息", "（2）核心内容摘要", "（3）关键技术解析", "（4）视频补充要点", "（结语）", "全文完。"]
    )
    finding = Finding(check="length.too_short", severity="error", message="")
    revised = revise_report(report, [finding], requirements, QUERY, pack)
    assert revised.endswith("（结语）\n\n全文完。")
    assert split_sentences(revised.split("（1）论文基本信息", 1)[1].split("（2）", 1)[0].strip())


def test_unresolved_part_of_a_shared_bracket_is_removed_and_the_rest_kept(pack):
    sentence = "多头注意力并行关注不同位置[video.mp4; 文档: paper.pdf, page 2]。"
    finding = Finding(check="citation.unresolved", severity="error", message="", sentence=sentence, citation="video.mp4")
    revised = revise_report("前言。\n" + sentence, [finding], make_requirements(), QUERY, pack)
    assert revised == "前言。\n多头注意力并行关注不同位置[文档: paper.pdf, page 2]。"


def test_sentence_missing_a_citation_is_cited_to_the_unit_holding_it(pack):
    sentence = "Multi-head attention allows the model to jointly attend to information from different positions."
    finding = Finding(check="citation.missing", severity="error", message="", sentence=sentence)
    revised = revise_report(sentence, [finding], make_requirements(language="en"), QUERY, pack)
    assert revised == sentence[:-1] + " [Doc: paper.pdf, page 2]."


def test_unsupported_citation_is_moved_to_the_unit_holding_the_sentence(pack):
    sentence = "We use sinusoidal positional encodings because the model contains no recurrence [Doc: paper.pdf, page 3]."
    finding = Finding(
        check="citation.unsupported", severity="error", message="", sentence=sentence, citation="[Doc: paper.pdf, page 3]"
    )
    revised = revise_report(sentence, [finding], make_requirements(language="en"), QUERY, pack)
    assert revised == sentence.replace("page 3", "page 2")


@pytest.mark.corpus
def test_corpus_draft_cites_only_resolving_units_within_the_requested_length():
    from services.ingest.sources import ingest_files
    from shared.requirements import parse_request
    from tests.corpus import CORPUS, need

    web = need(CORPUS / "mirothinker_mm" / "task005" / "long_context_sampled_60.json")
    paper = need(CORPUS / "papers" / "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf")
    pack = ingest_files({"long_context.json": web.read_bytes(), "pdf.pdf": paper.read_bytes()}, "005")
    query = QUERY + "字数在2000至3000字。"
    report = draft_report(parse_request(query), query, pack)
    assert all(citations_resolve(s, pack) for s in body_sentences(report))
    assert 2000 <= count_zi(report) <= 3000


def test_uncited_claim_is_repointed_or_dropped():
    pack, requirements = make_pack(), make_requirements()
    report = draft_report(requirements, QUERY, pack)
    claim = "The benchmark has exactly 4242 questions."
    text = report + "\n\n" + claim
    finding = Finding(check="claim.uncited", severity="error", message="uncited", sentence=claim)

    revised = revise_report(text, [finding], requirements, QUERY, pack)

    assert claim not in revised.split("\n")


def test_metadata_error_drops_the_misstating_sentence():
    pack, requirements = make_pack(), make_requirements()
    report = draft_report(requirements, QUERY, pack)
    wrong = "原文链接：https://github.com/example/repo 是论文的官方网站。"
    finding = Finding(check="metadata.link_kind", severity="error", message="repo", sentence=wrong)

    revised = revise_report(report + "\n\n" + wrong, [finding], requirements, QUERY, pack)

    assert wrong not in revised
    assert revised.strip() == report.strip()


def test_off_topic_finding_drops_its_whole_paragraph():
    pack, requirements = make_pack(), make_requirements()
    report = draft_report(requirements, QUERY, pack)
    first, second = "申请英国留学需要准备雅思成绩。", "签证材料包括存款证明。"
    finding = Finding(check="claim.off_topic", severity="error", message="off topic", sentence=first)

    revised = revise_report(report + f"\n\n{first}\n{second}", [finding], requirements, QUERY, pack)

    assert revised.strip() == report.strip()


def test_a_repeated_sentence_finding_drops_the_second_copy_only():
    pack, requirements = make_pack(), make_requirements()
    report = draft_report(requirements, QUERY, pack)
    repeat = "注意力机制建立了输入与输出之间的全局依赖[文档: paper.pdf, page 1]。"
    finding = Finding(check="repetition.sentence", severity="error", message="repeat", sentence=repeat)

    revised = revise_report(report + f"\n\n{repeat}\n\n{repeat}", [finding], requirements, QUERY, pack)

    assert revised.strip() == (report + f"\n\n{repeat}").strip()


def test_a_repeated_paragraph_finding_drops_that_paragraph():
    pack, requirements = make_pack(), make_requirements()
    report = draft_report(requirements, QUERY, pack)
    first, second = "注意力机制建立了全局依赖[文档: paper.pdf, page 1]。", "注意力机制建立起全局依赖[文档: paper.pdf, page 1]。"
    finding = Finding(check="repetition.paragraph", severity="error", message="repeat", sentence=second)

    revised = revise_report(report + f"\n\n{first}\n\n{second}", [finding], requirements, QUERY, pack)

    assert revised.strip() == (report + f"\n\n{first}").strip()


def test_furniture_and_the_reference_list_are_not_evidence_sentences():
    unit = Unit(source="p.pdf", kind="page", index=3, text="Retrieval raises accuracy by twelve points on the test set.",
                method="pdfium", furniture="This work is licensed under the Creative Commons Attribution License.",
                references="[1] Jimmy Lei Ba. Layer normalization is a method for training deep networks. 2016.")
    sentences = [c.text for c in evidence_sentences(EvidencePack(task_id="t", units=[unit]))]
    assert sentences == ["Retrieval raises accuracy by twelve points on the test set."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Attention Is All You Need Ashish Vaswani, Noam Shazeer Abstract The dominant sequence transduction models are "
        "based on complex recurrent networks.",
        "二、加快人工智能发展的指导方针和主要目标（4）……都要在这一时期完成。",
        "3.1 Encoder and Decoder Stacks Encoder: The encoder is composed of a stack of six identical layers.",
        "《供配电技术课程大作业》报告书题 目： 指导教师： 姓 名： 学 号： 日 期：机电工和系2013学年报告书格式要求。",
        "2．外文摘要：独占一页“Abstract”，Abstract正文居左顶格，用五号字排版。",
    ],
)
def test_a_sentence_with_a_source_heading_glued_in_is_not_usable(sentence):
    assert not usable(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "挑战之一，检索结果可能包含过时或者错误的信息，需要额外核查。",
        "First, the encoder maps an input sequence of symbols to continuous representations.",
        "The method works in the following four steps that we describe next.",
    ],
)
def test_one_item_of_an_enumeration_is_not_usable(sentence):
    assert not usable(sentence)


def test_an_english_sentence_in_a_chinese_report_is_followed_by_a_space(pack):
    report = draft_report(make_requirements(LengthRange(minimum=400, maximum=600)), QUERY, pack)
    assert not re.search(r"[.!?]\]?[.]?(?=[A-Z\u4e00-\u9fff])", strip_citations(report))


def test_a_paper_section_quotes_the_paper_before_web_pages_about_writing_papers():
    paper = [
        "The Transformer is based solely on attention mechanisms, dispensing with recurrence and convolutions.",
        "Multi-head attention allows the model to attend to information from different representation subspaces.",
        "The encoder maps an input sequence of symbol representations to a sequence of continuous representations.",
        "We also experimented with using learned positional embeddings instead of sinusoids.",
        "The weather in the mountains was unusually cold during the experiments that autumn.",
        "Our single model establishes a new state-of-the-art BLEU score on the English-to-French task.",
    ]
    web = [
        "论文的核心内容摘要应当简要介绍研究背景、目的、方法、结果和结论等关键信息。",
        "撰写论文阅读报告时，关键技术解析部分要说明论文采用的主要技术和方法。",
        "科技论文写作技巧很多，摘要要独立成文，避免引用图表。",
    ]
    units = [Unit(source="paper.pdf", kind="page", index=i + 1, text=t, method="pypdf") for i, t in enumerate(paper)]
    units += [Unit(source="web.json", kind="chunk", index=i, text=t, method="chunker", title="写作") for i, t in enumerate(web)]
    pack = EvidencePack(task_id="t", units=units)
    query = "请根据论文撰写《阅读报告》，概括论文的方法与结论，解释Transformer等技术，包含以下部分：（1）核心内容摘要；（2）关键技术解析。"
    report = draft_report(parse_request(query), query, pack)
    first = [c for s in split_sentences(report.split("## ")[1]) for g in find_citations(s) for c in g.citations][:2]
    assert [c.source for c in first] == ["paper.pdf", "paper.pdf"]


def test_lengthening_grows_the_other_sections_before_a_basic_information_section_that_holds_text():
    unit = Unit(source="paper.pdf", kind="page", index=2, text="x", method="pypdf")
    ranking = [(Candidate(f"The model reaches a score of {n} on the test set here.", unit, n, "en"), 1.0) for n in range(20)]
    basic = Fill("Basic information", list(ranking), sentences=["Title: A paper."], size=3)
    summary = Fill("Summary", list(ranking), size=40)

    grow([basic, summary], set(), 43, LengthRange(minimum=60, maximum=80, unit="words"), "en")

    assert basic.sentences == ["Title: A paper."]
    assert len(summary.sentences) >= 2


def test_a_frames_speech_label_is_not_part_of_its_sentences():
    frame = Unit(source="talk.mp4", kind="frame", index=2, start=10.0, method="frames",
                 text="Slide: 注意力机制\n\nSpeech: 设想一个具体的应用场景能帮助我们更好地理解注意力机制背后的逻辑。")
    texts = [c.text for c in evidence_sentences(EvidencePack(task_id="t", units=[frame]))]
    assert texts == ["设想一个具体的应用场景能帮助我们更好地理解注意力机制背后的逻辑。"]
