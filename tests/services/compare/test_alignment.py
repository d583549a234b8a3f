from services.compare.alignment import align_reports, split_report

ORIGINAL = (
    "# 标题\n\n"
    "检索增强生成先检索再生成[文档: a.pdf, page 1]。引用精确率提高到86.9%[文档: a.pdf, page 3]。"
    "该方法只适用于英文[文档: a.pdf, page 4]。\n\n"
    "总之，核查引用很重要。"
)


def statuses(original: str, final: str) -> list[str]:
    return [row.status for row in align_reports(original, final)]


def test_identical_reports_keep_every_sentence():
    rows = align_reports(ORIGINAL, ORIGINAL)

    assert {r.status for r in rows} == {"kept"}
    assert len(rows) == len(split_report(ORIGINAL))


def test_a_reworded_sentence_is_edited_in_place():
    final = ORIGINAL.replace("该方法只适用于英文", "该方法目前只在英文数据上验证")

    rows = align_reports(ORIGINAL, final)

    assert statuses(ORIGINAL, final) == ["kept", "kept", "kept", "edited", "kept"]
    assert rows[3].original.text.startswith("该方法只适用于英文")
    assert rows[3].final.text.startswith("该方法目前只在英文数据上验证")


def test_a_new_sentence_is_added_where_it_appears():
    final = ORIGINAL.replace(
        "总之，核查引用很重要。", "检索失误占剩余错误的14%[文档: a.pdf, page 4]。\n总之，核查引用很重要。"
    )

    rows = align_reports(ORIGINAL, final)

    assert statuses(ORIGINAL, final) == ["kept", "kept", "kept", "kept", "added", "kept"]
    assert rows[4].original is None
    assert rows[4].final.citations == ["[文档: a.pdf, page 4]"]


def test_a_deleted_sentence_is_removed():
    final = ORIGINAL.replace("该方法只适用于英文[文档: a.pdf, page 4]。", "")

    rows = align_reports(ORIGINAL, final)

    assert statuses(ORIGINAL, final) == ["kept", "kept", "kept", "removed", "kept"]
    assert rows[3].final is None


def test_a_sentence_with_only_new_citations_is_kept_and_recited():
    final = ORIGINAL.replace("86.9%[文档: a.pdf, page 3]", "86.9%[文档: a.pdf, page 2]")

    row = align_reports(ORIGINAL, final)[2]

    assert row.status == "kept"
    assert row.recited
    assert row.original.citations == ["[文档: a.pdf, page 3]"]
    assert row.final.citations == ["[文档: a.pdf, page 2]"]


def test_an_unchanged_sentence_is_not_recited():
    assert not any(r.recited for r in align_reports(ORIGINAL, ORIGINAL))


def test_a_rewritten_sentence_unlike_any_other_is_removed_and_added():
    final = ORIGINAL.replace("该方法只适用于英文", "未来工作将覆盖中文与长文档")

    assert statuses(ORIGINAL, final) == ["kept", "kept", "kept", "removed", "added", "kept"]


def test_a_moved_sentence_is_removed_in_one_place_and_added_in_another():
    original = "First point is here. Second point is longer. Third point ends it."
    final = "Second point is longer. First point is here. Third point ends it."

    rows = align_reports(original, final)

    assert [(r.status, (r.original or r.final).text) for r in rows] == [
        ("added", "Second point is longer."),
        ("kept", "First point is here."),
        ("removed", "Second point is longer."),
        ("kept", "Third point ends it."),
    ]


def test_english_edits_are_paired_by_similarity():
    original = "The loop runs at most 3 rounds [Doc: a.pdf, page 2]. It stops early."
    final = "The loop runs at most three revision rounds [Doc: a.pdf, page 2]. It stops early."

    assert statuses(original, final) == ["edited", "kept"]


def test_sentences_carry_their_paragraph_and_position():
    sentences = split_report(ORIGINAL)

    assert [s.paragraph for s in sentences] == [0, 1, 1, 1, 2]
    assert [s.index for s in sentences] == [0, 1, 2, 3, 4]


def test_whitespace_changes_do_not_count_as_edits():
    final = ORIGINAL.replace("总之，核查引用很重要。", "总之，核查引用很重要。  ")

    assert set(statuses(ORIGINAL, final)) == {"kept"}
