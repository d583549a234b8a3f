"""Telling a writer's chatter from report text."""

from __future__ import annotations

import pytest

from shared.chatter import is_opening_chatter, is_plan, is_sign_off


@pytest.mark.parametrize("line", ["I'll start by reading the paper.", "好的，我将首先阅读论文。", "Sure! Let me draft it."])
def test_a_plan_is_recognised_after_an_interjection(line):
    assert is_plan(line)


@pytest.mark.parametrize("line", ["Here is the report:", "好的，以下是报告：", "Okay."])
def test_a_line_presenting_the_report_is_opening_chatter_but_not_a_plan(line):
    assert is_opening_chatter(line)
    assert not is_plan(line)


@pytest.mark.parametrize("line", ["Okapi live in the Congo.", "Surely the attention mechanism matters.", "以下几点值得注意"])
def test_report_sentences_that_start_like_chatter_are_not_chatter(line):
    assert not is_opening_chatter(line)


def test_a_closing_offer_is_a_sign_off():
    assert is_sign_off("希望这份报告对您有帮助。")
    assert not is_sign_off("本文提出了 Transformer。")
