"""Check 7: language and register."""

from services.validate.language import check_language, check_register
from shared.requirements import Requirements

CHINESE = "本文研究了大语言模型的微调过程，并分析了Transformer架构的学习动态。"
ENGLISH = "This report studies how large language models learn during finetuning and why it matters."


def test_chinese_report_for_a_chinese_request_passes():
    assert check_language(CHINESE, Requirements(language="zh")) == []


def test_english_report_for_a_chinese_request_is_a_mismatch():
    (finding,) = check_language(ENGLISH, Requirements(language="zh"))

    assert (finding.check, finding.severity) == ("language.mismatch", "error")


def test_chinese_report_for_an_english_request_is_a_mismatch():
    assert [f.check for f in check_language(CHINESE, Requirements(language="en"))] == ["language.mismatch"]


def test_colloquial_marker_is_flagged_when_formal_register_is_asked():
    (finding,) = check_register("这个方法超级好用哈哈。\n本文结论成立。\n", Requirements(tone="formal"))

    assert (finding.check, finding.severity) == ("register.colloquial", "warning")


def test_colloquial_markers_are_allowed_without_a_formal_request():
    assert check_register("这个方法超级好用哈哈。", Requirements()) == []


def test_formal_text_has_no_register_finding():
    assert check_register(CHINESE, Requirements(tone="formal")) == []
