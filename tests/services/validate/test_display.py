"""The parsed requirements as shown to a user."""

from services.validate.display import describe_requirements
from shared.requirements import parse_request


def test_requirements_are_described_readably():
    shown = describe_requirements(parse_request("撰写《阅读报告》，包含（1）背景；（2）方法。字数2000至3000字，注明来源。"))

    assert (shown["title"], shown["sections"], shown["citations"]) == ("《阅读报告》", "（1）背景；（2）方法", "required")


def test_length_states_range_and_convention():
    assert describe_requirements(parse_request("写2000至3000字"))["length"].startswith("2000–3000 字 (字数 =")


def test_unstated_requirements_say_so():
    assert describe_requirements(parse_request(""))["title"] == "not stated"
