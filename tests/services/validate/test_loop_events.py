"""The loop's events: the validator asks for a revision or accepts, carrying the loop's state."""

from services.validate.loop import next_step
from shared.events import ObjectRef, ReportAccepted, ReportDrafted, RevisionRequested, TaskContext, Usage
from shared.requirements import Requirements
from tests.services.validate.test_loop import ERROR, OTHER, REPORT

CONTEXT = TaskContext(query="q", evidence=ObjectRef(key="t/evidence.json", digest="d", size=0), max_rounds=3)
FIRST = ReportDrafted(task_id="t", round=1, context=CONTEXT, text=REPORT, writer="w")


def test_a_first_draft_with_errors_asks_for_version_2_and_starts_the_loop_state():
    request = next_step(FIRST, [ERROR], Requirements())

    assert isinstance(request, RevisionRequested)
    assert (request.text, request.findings) == (REPORT, [ERROR])
    assert (request.loop.base_version, request.loop.next_version, request.loop.original_text) == (1, 2, REPORT)
    assert [(r.report_version, r.writer) for r in request.loop.rounds] == [(1, "w")]


def test_a_better_revision_is_revised_in_turn_and_the_loop_keeps_the_original():
    request = next_step(FIRST, [ERROR, OTHER], Requirements())
    better = REPORT + "。"

    again = next_step(request.revised(better, "w", Usage(), []), [ERROR], Requirements())

    assert isinstance(again, RevisionRequested)
    assert again.text == better
    assert (again.loop.base_version, again.loop.next_version, again.loop.original_text) == (2, 3, REPORT)


def test_a_worse_revision_is_judged_against_its_base_from_the_loop_state_and_the_base_accepted():
    request = next_step(FIRST, [ERROR], Requirements(title="t"))

    accepted = next_step(request.revised(REPORT + "。", "w", Usage(), []), [ERROR, OTHER], Requirements(title="t"))

    assert isinstance(accepted, ReportAccepted)
    assert (accepted.report_version, accepted.text) == (1, REPORT)
    assert [r.verdict for r in accepted.rounds] == ["revise", "rejected"]
    assert accepted.requirements == Requirements(title="t")
