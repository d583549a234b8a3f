"""What a run saves of a task it stopped waiting for."""

import json

from redline.partial import save_partial
from shared.events import Event, LoopState, ReportDrafted, RevisionRequested
from tests.services.compare.pairs import FINAL, ORIGINAL, accepted

CONTEXT = accepted().context


def envelope(data) -> Event:
    return Event.wrap(data, "/test")


def test_the_draft_and_the_rounds_checked_so_far_are_saved(tmp_path):
    drafted = ReportDrafted(task_id="t1", round=1, context=CONTEXT, text=ORIGINAL, writer="w")
    rounds = accepted().rounds[:1]
    requested = RevisionRequested(
        task_id="t1",
        round=1,
        context=CONTEXT,
        text=ORIGINAL,
        findings=rounds[0].findings,
        loop=LoopState(original_text=ORIGINAL, rounds=rounds, base_version=1, next_version=2),
    )

    written = save_partial([envelope(drafted), envelope(requested)], "timed out: draft", tmp_path)

    saved = json.loads((tmp_path / "findings.json").read_text())
    assert [p.name for p in written] == ["original.md", "findings.json"]
    assert (saved["complete"], saved["errors_remaining"], len(saved["rounds"])) == (False, 1, 1)


def test_an_accepted_version_is_saved_as_final(tmp_path):
    save_partial([envelope(accepted())], "timed out: compare", tmp_path)

    assert (tmp_path / "final.md").read_text() == FINAL.strip() + "\n"
