"""Reference lists: which sections ask for one, and which sources a report cites, in order."""

import pytest

from shared.references import cited_sources, describe, is_reference_section
from shared.units import SourceMeta, Unit


@pytest.mark.parametrize("name", ["参考资料", "参考文献", "引用来源", "References", "Sources and references"])
def test_a_section_asking_for_sources_is_a_reference_section(name):
    assert is_reference_section(name)


@pytest.mark.parametrize("name", ["引言", "研究资料分析", "Resource allocation", "核心内容摘要", "Data sources and methods"])
def test_a_section_of_prose_is_not_a_reference_section(name):
    assert not is_reference_section(name)


def test_the_cited_sources_are_in_order_of_first_citation():
    units = [Unit(source="a.pdf", kind="page", index=n, text="x", method="t") for n in (1, 2)]
    units += [Unit(source="talk.mp4", kind="frame", index=1, text="y", method="t")]
    text = "甲[文档: a.pdf, page 2]。乙[talk.mp4, Frame 1]。丙[文档: a.pdf, page 1]。"
    assert cited_sources(text, units) == ["a.pdf", "talk.mp4"]


def test_a_source_without_a_known_title_is_described_by_its_citation_name():
    assert describe(SourceMeta(source="talk.mp4", kind="video"), "talk.mp4") == "talk.mp4"
