"""Check 4: cited sentences against the units they cite, and proposed re-pointing."""

from services.validate.alignment import Aligned
from services.validate.support import check_support, score_support, states_figures
from shared.citations import unit_citation
from shared.requirements import Requirements
from shared.units import EvidencePack, Unit

PAGES = [
    "The Transformer is based solely on attention mechanisms, dispensing with recurrence entirely.",
    "On WMT 2014 English-to-German the big model achieves 28.4 BLEU after 3.5 days of training.",
    "We thank the reviewers for their comments and suggestions.",
]
PACK = EvidencePack(
    task_id="t",
    units=[Unit(source="paper.pdf", kind="page", index=n, text=t, method="pypdf") for n, t in enumerate(PAGES, 1)],
)
REQUIREMENTS = Requirements(language="zh")


def cite(page: int) -> str:
    return unit_citation(PACK.units[page - 1])


def test_supported_english_sentence_scores_high():
    support = score_support("The big model achieves 28.4 BLEU on WMT 2014 English-to-German.", PAGES[1])

    assert support.score > 0.8
    assert not support.missing


def test_chinese_sentence_citing_english_is_judged_by_anchors():
    support = score_support("在WMT 2014英德翻译上取得28.4 BLEU。", PAGES[1])

    assert support.crosslingual
    assert support.score == 1.0


def test_supported_citation_gives_no_finding():
    assert check_support(f"大模型在WMT 2014上取得28.4 BLEU。{cite(2)}", REQUIREMENTS, PACK) == []


def test_altered_number_is_an_error_with_the_near_miss():
    (finding,) = check_support(f"大模型在WMT 2014上取得28.5 BLEU。{cite(2)}", REQUIREMENTS, PACK)

    assert (finding.check, finding.severity) == ("citation.unsupported", "error")
    assert "28.4" in finding.message


def test_wrong_page_is_re_pointed_to_the_page_that_holds_the_claim():
    (finding,) = check_support(f"大模型在WMT 2014上取得28.4 BLEU。{cite(3)}", REQUIREMENTS, PACK)

    assert cite(2) in finding.fix
    assert cite(2) in finding.evidence


def test_finding_names_the_bracket_for_the_writer():
    (finding,) = check_support(f"大模型在WMT 2014上取得28.4 BLEU。{cite(3)}", REQUIREMENTS, PACK)

    assert finding.citation == cite(3)


def test_low_overlap_without_missing_anchors_is_a_warning():
    findings = check_support(f"The reviewers praised the elegant proofs throughout. {cite(3)}", REQUIREMENTS, PACK)

    assert [f.severity for f in findings] == ["warning"]


def test_unresolved_citation_is_left_to_the_resolution_check():
    assert check_support("大模型取得28.4 BLEU。[文档: paper.pdf, page 9]", REQUIREMENTS, PACK) == []


REFERENCED = EvidencePack(
    task_id="t",
    units=[Unit(source="paper.pdf", kind="page", index=9, text="We conclude that attention suffices.", method="pdfium",
                furniture="Vaswani et al. 2017 | page 9", references="[1] Jimmy Lei Ba. Layer normalization. 2016.")],
)


def test_a_body_claim_is_not_supported_by_the_reference_list():
    text = f"Layer normalization was proposed by Jimmy Lei Ba in 2016. {unit_citation(REFERENCED.units[0])}"
    assert [f.check for f in check_support(text, Requirements(language="en"), REFERENCED)] == ["citation.unsupported"]


def test_a_claim_about_the_references_may_cite_them():
    text = f"The references include layer normalization by Jimmy Lei Ba (2016). {unit_citation(REFERENCED.units[0])}"
    assert check_support(text, Requirements(language="en"), REFERENCED) == []


NOTED = EvidencePack(
    task_id="t",
    units=[Unit(source="paper.pdf", kind="page", index=1, text="We propose the Transformer, based solely on attention.", method="pdfium",
                furniture="Jakob proposed replacing RNNs with self-attention and started the effort to evaluate this idea.\n"
                "This work is licensed under the Creative Commons Attribution International License (CC BY 4.0).")],
)


def test_a_claim_only_the_page_furniture_states_is_supported_by_it():
    text = f"Jakob proposed replacing RNNs with self-attention. {unit_citation(NOTED.units[0])}"
    assert check_support(text, Requirements(language="en"), NOTED) == []


def test_a_licence_notice_in_the_page_furniture_does_not_support_a_claim_it_resembles():
    text = f"The authors license the model weights to the public for commercial use. {unit_citation(NOTED.units[0])}"
    assert [f.check for f in check_support(text, Requirements(language="en"), NOTED)] == ["citation.unsupported"]


def test_spaces_a_pdf_puts_between_chinese_characters_do_not_lower_coverage():
    spaced = score_support("该文作者王田来自贵州大学法学院。", "互联网视阈下网络直播平台的法律监管 王 田 贵 州 大 学 法 学 院，贵州 贵阳")
    plain = score_support("该文作者王田来自贵州大学法学院。", "互联网视阈下网络直播平台的法律监管王田贵州大学法学院，贵州贵阳")
    assert spaced.coverage == plain.coverage


HEADING = "Table 4: Results are on Section 23 of WSJ. Parser Training WSJ 23 F1 Vinyals & Kaiser (2014) 88.3"
ROW = "semi-supervised 92.7 Luong et al. (2015) [23] multi-task 93.0 Dyer et al. (2016) [8] generative 93.3"
CLAIM = "Dyer等人（2016）的生成式模型在WSJ 23上的F1为93.3。"


def test_a_claim_of_figures_is_about_the_table_row_aligned_below_the_heading():
    assert states_figures(CLAIM, [Aligned(HEADING, 0.64, 0.22, 0), Aligned(ROW, 0.63, 0.30, 1)])


def test_a_claim_of_figures_no_top_aligned_sentence_states_is_not_about_them():
    others = [Aligned(HEADING, 0.6, 0.2, n) for n in range(3)]
    assert not states_figures(CLAIM, [*others, Aligned(ROW, 0.3, 0.1, 3)])


def test_a_claim_of_a_year_and_a_small_number_is_not_about_a_sentence_for_stating_them():
    section = Aligned("5. 结语 网络直播产业发展迅速，2024年监管势在必行。", 0.5, 0.3, 0)
    assert not states_figures("作者建议2024年对直播平台征收百分之五的数字服务税。", [section])
