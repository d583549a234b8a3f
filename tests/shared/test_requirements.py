import json

import pytest

from shared.requirements import parse_request, read_length, read_sections, read_title
from tests.corpus import CORPUS, need

QUERIES = CORPUS / "mirothinker_mm"

# What a person reads in each request: title, section names in order, (minimum, maximum) 字.
EXPECTED = {
    "001": (
        "Deep Research相关Benchmark数据集调研报告",
        ["引言", "调研方法", "各论文Benchmark信息汇总表", "分析与观察", "参考资料"],
        (1500, 2000),
    ),
    "002": (
        "避风港原则在直播带货场景中的适用性分析报告",
        [
            "引言",
            "避风港原则的法律框架与关键内涵",
            "直播带货行业的典型案例分析",
            "原则在直播场景中的适用性讨论",
            "合规建议与未来趋势",
            "参考资料",
        ],
        (1200, 1500),
    ),
    "003": (
        "两大 AI 平台生态对比分析报告",
        [
            "引言",
            "研究方法",
            "技术发展路线对比",
            "社区治理与生态模式对比",
            "产品体系与开放策略的差异",
            "总结与展望",
            "参考资料",
        ],
        (1500, 2000),
    ),
    "004": (
        "三日主题旅行规划报告",
        ["行程概览", "各景点详细介绍与亮点分析", "每日详细行程安排", "实用贴士"],
        (1200, 1500),
    ),
    "005": (
        "大模型技术论文阅读报告",
        ["论文基本信息", "核心内容摘要", "关键技术解析", "视频补充要点"],
        (2000, 3000),
    ),
    "006": (
        "解读齐白石花鸟画中的形与魂",
        ["引言", "画作表象分析", "题材与主题解读", "艺术史语境分析", "总结"],
        (1500, 2000),
    ),
    "007": (
        "十五五规划的深入分析与解读",
        [
            "引言与时代背景",
            "核心原则与指导思想",
            "重点领域目标与任务",
            "实施路径与保障机制",
            "风险挑战与应对策略",
            "全球价值与发展展望",
        ],
        (2000, 3000),
    ),
    "008": (
        "新冠疫情监测报告",
        ["报告标题", "核心数据摘要", "数据明细板块", "简要提示"],
        (800, 1000),
    ),
    "009": (
        "学生压力现状与干预对策报告",
        [
            "引言与数据概况",
            "学生压力现状分析",
            "压力影响因素关联分析",
            "高风险群体与问题诊断",
            "干预对策与实施计划",
            "效果评估与风险预案",
        ],
        (2000, 3000),
    ),
    "010": (
        "Yahoo金融市场2018-2023年度市场趋势预测分析报告",
        [
            "引言",
            "历史市场趋势规律总结",
            "当前市场趋势分析",
            "外部影响因素关联分析",
            "趋势预测与情景分析",
            "投资策略建议",
            "风险提示",
        ],
        (3000, 5000),
    ),
}
# Section notes: what the request adds after a colon or in a closing bracket.
NOTES = {
    "002": {"直播带货行业的典型案例分析": "2023–2025"},
    "003": {"研究方法": "含材料来源说明"},
    "004": {"各景点详细介绍与亮点分析": "附来源", "实用贴士": "含预算、最佳出行时间、注意事项等"},
    "006": {
        "引言": "确立鉴赏的核心视角与价值定位",
        "画作表象分析": "技法与形式的拆解",
        "题材与主题解读": "从形到魂的过渡",
        "艺术史语境分析": "定位画作的历史价值和流派意义",
        "总结": "提炼核心价值与鉴赏结论",
    },
    "008": {
        "核心数据摘要": "需要在一页内概括关键指标和不同时间段的数据波动情况",
        "数据明细板块": "建议从重点区域和重点人群两方面进行数据分析和可视化处理",
    },
}
# (cite_sources, output_format, table, no_bullets, tone)
FLAGS = {
    "001": (True, "markdown", True, False, "formal"),
    "002": (True, "markdown", False, False, "formal"),
    "003": (False, "markdown", False, False, "formal"),
    "004": (True, "html", False, True, "casual"),
    "005": (True, "markdown", False, False, "formal"),
    "006": (True, "markdown", False, False, "formal"),
    "007": (True, "markdown", False, False, "formal"),
    "008": (True, "markdown", True, False, "formal"),
    "009": (True, "markdown", False, False, "formal"),
    "010": (True, "markdown", False, False, "formal"),
}
CASES = [("query.jsonl", task) for task in EXPECTED] + [("query1114.jsonl", task) for task in ("001", "002", "003", "004", "005")]


def request(file: str, task: str) -> str:
    lines = need(QUERIES / file).read_text(encoding="utf-8").splitlines()
    return next(json.loads(line)["query"] for line in lines if json.loads(line)["task"] == task)


@pytest.mark.corpus
@pytest.mark.parametrize("file", ["query.jsonl", "query1114.jsonl"])
def test_every_corpus_request_has_an_expectation(file):
    lines = need(QUERIES / file).read_text(encoding="utf-8").splitlines()

    assert sorted((file, json.loads(line)["task"]) for line in lines) == sorted(c for c in CASES if c[0] == file)


@pytest.mark.corpus
@pytest.mark.parametrize(("file", "task"), CASES)
def test_corpus_request_title_sections_and_length(file, task):
    title, sections, (minimum, maximum) = EXPECTED[task]

    parsed = parse_request(request(file, task))

    assert (parsed.title, [s.name for s in parsed.sections], parsed.length.minimum, parsed.length.maximum) == (
        title,
        sections,
        minimum,
        maximum,
    )
    assert (parsed.length.unit, parsed.language) == ("zi", "zh")


@pytest.mark.corpus
@pytest.mark.parametrize(("file", "task"), CASES)
def test_corpus_request_section_markers_and_notes(file, task):
    parsed = parse_request(request(file, task))
    count = len(EXPECTED[task][1])
    markers = [str(i) for i in range(1, count + 1)] if task == "001" else [f"（{i}）" for i in range(1, count + 1)]

    assert [s.marker for s in parsed.sections] == markers
    assert {s.name: s.note for s in parsed.sections if s.note} == NOTES.get(task, {})


@pytest.mark.corpus
@pytest.mark.parametrize(("file", "task"), CASES)
def test_corpus_request_flags(file, task):
    parsed = parse_request(request(file, task))

    assert (parsed.cite_sources, parsed.output_format, parsed.table, parsed.no_bullets, parsed.tone) == FLAGS[task]


@pytest.mark.parametrize(
    ("text", "minimum", "maximum", "unit"),
    [
        ("字数在2000至3000字。", 2000, 3000, "zi"),
        ("全文控制在 1200–1500 字之间", 1200, 1500, "zi"),
        ("字数在1500-2000之间", 1500, 2000, "zi"),
        ("写一篇1500~2000字的报告", 1500, 2000, "zi"),
        ("2000字至3000字", 2000, 3000, "zi"),
        ("控制在3000字以内", None, 3000, "zi"),
        ("控制在3000字左右", 2700, 3300, "zi"),
        ("3000字左右", 2700, 3300, "zi"),
        ("约三千字", 2700, 3300, "zi"),
        ("写一篇2000字的报告", 1800, 2200, "zi"),
        ("不少于2000字", 2000, None, "zi"),
        ("2000字以上", 2000, None, "zi"),
        ("不超过1500字", None, 1500, "zi"),
        ("字数在1500至2000之间", 1500, 2000, "zi"),
        ("不少于2000字，不超过3000字", 2000, 3000, "zi"),
        ("1.5万字", 13500, 16500, "zi"),
        ("Write 1,500-2,000 words.", 1500, 2000, "words"),
        ("between 1500 and 2000 words", 1500, 2000, "words"),
        ("about 800 words", 720, 880, "words"),
        ("a 2000-word essay", 1800, 2200, "words"),
        ("at least 1000 words", 1000, None, "words"),
        ("no more than 1500 characters", None, 1500, "characters"),
    ],
)
def test_length_forms(text, minimum, maximum, unit):
    length = read_length(text)

    assert (length.minimum, length.maximum, length.unit) == (minimum, maximum, unit)


def test_year_ranges_are_not_lengths():
    assert read_length("撰写一份2018-2023年市场报告，结合2023–2025 年的案例") is None


def test_per_part_limit_is_not_the_report_length():
    length = read_length("每段不超过200字，全文不少于2000字")

    assert (length.minimum, length.maximum) == (2000, None)


def test_length_keeps_the_phrase_it_was_read_from():
    assert read_length("请撰写报告。字数在2000至3000字。").text == "字数在2000至3000字"


def test_no_length_phrase_gives_none():
    assert read_length("请撰写一篇报告") is None


@pytest.mark.parametrize(
    ("text", "markers", "names"),
    [
        ("包含：（1）引言；（2）方法；（3）结论。", ["（1）", "（2）", "（3）"], ["引言", "方法", "结论"]),
        ("(1) Introduction; (2) Methods; (3) Results.", ["(1)", "(2)", "(3)"], ["Introduction", "Methods", "Results"]),
        ("结构如下：\n1. 背景\n2. 现状\n3. 对策\n", ["1.", "2.", "3."], ["背景", "现状", "对策"]),
        ("结构如下：1、背景；2、现状。", ["1、", "2、"], ["背景", "现状"]),
        ("一、背景；二、现状；三、对策。", ["一、", "二、", "三、"], ["背景", "现状", "对策"]),
        ("①引言②方法③结论", ["①", "②", "③"], ["引言", "方法", "结论"]),
        ("包含引言、调研方法、参考资料等部分，", ["1", "2", "3"], ["引言", "调研方法", "参考资料"]),
        ("包括以下部分：引言、方法、结论。", ["1", "2", "3"], ["引言", "方法", "结论"]),
    ],
)
def test_section_forms(text, markers, names):
    sections = read_sections(text)

    assert ([s.marker for s in sections], [s.name for s in sections]) == (markers, names)


def test_section_note_after_colon_and_in_closing_bracket():
    sections = read_sections("（1）引言：说明背景；（2）方法（附来源）；（3）结论。")

    assert [(s.name, s.note) for s in sections] == [("引言", "说明背景"), ("方法", "附来源"), ("结论", "")]


def test_last_section_ends_at_a_comma_outside_brackets():
    sections = read_sections("（1）概览；（2）贴士（含预算、时间等），全文控制在1500字。")

    assert [(s.name, s.note) for s in sections] == [("概览", ""), ("贴士", "含预算、时间等")]


def test_decimal_numbers_are_not_section_markers():
    assert read_sections("比较 GPT-3.5 与 4.0 版本") == []


def test_single_marker_is_not_a_section_list():
    assert read_sections("如图（1）所示") == []


def test_enumeration_inside_a_bracket_is_not_a_section_list():
    assert read_sections("围绕核心要点（包括原则概述、法律体系、司法实践）展开") == []


def test_title_is_the_one_asked_for_not_a_cited_work():
    assert read_title("参考《民法典》的规定，撰写一篇《避风港原则分析报告》。") == "避风港原则分析报告"


def test_title_falls_back_to_the_first_book_title():
    assert read_title("报告题目见《城市更新研究》。") == "城市更新研究"


def test_english_title_is_read_from_titled():
    assert read_title('Write a report titled "Attention in Practice".') == "Attention in Practice"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("请撰写一篇关于大模型的报告", "zh"),
        ("Write a report on GPT-4 and the transformer architecture.", "en"),
        ("请用英文撰写一篇关于大模型的报告", "en"),
        ("Write the report about 《红楼梦》 in Chinese.", "zh"),
    ],
)
def test_language(text, language):
    assert parse_request(text).language == language


@pytest.mark.parametrize(
    ("text", "cite"),
    [("并注明信息来源", True), ("并标注来源", True), ("必要时可引用权威资料", True), ("Cite every claim.", True), ("请撰写报告", False)],
)
def test_cite_sources(text, cite):
    assert parse_request(text).cite_sources is cite


def test_html_output_is_detected():
    assert parse_request("不要分点回答，返回html格式").output_format == "html"


def test_markdown_is_the_default_output():
    assert parse_request("请撰写报告").output_format == "markdown"


def test_table_is_detected():
    assert parse_request("请用表格汇总各模型的参数").table is True


def test_no_bullets_is_detected():
    assert parse_request("不要分点回答").no_bullets is True


def test_formal_tone_is_detected():
    assert parse_request("报告需使用正式书面语").tone == "formal"


def test_later_tone_overrides_an_earlier_one():
    assert parse_request("表达应采用正式书面语。语言风格：轻松有趣").tone == "casual"


def test_tone_is_empty_when_not_stated():
    assert parse_request("请撰写报告").tone == ""
