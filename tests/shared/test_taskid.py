"""Task ids derived from any folder name are safe for keys, subjects and object names."""

import pytest

from shared.taskid import is_valid, new_task_id, stem_of


@pytest.mark.parametrize("name", ["中文任务", "my task", "a.b*c>d", "005", "报告 (final).v2", "\n", "x" * 300])
def test_an_id_made_from_any_folder_name_is_valid(name):
    assert is_valid(new_task_id(name))


def test_a_name_without_safe_characters_gets_a_plain_stem():
    assert stem_of("中文任务") == "task"


def test_the_safe_part_of_a_name_stays_readable():
    assert stem_of("复现 DPO.v2 任务") == "DPO-v2"


def test_two_ids_for_one_folder_differ():
    assert new_task_id("005") != new_task_id("005")


@pytest.mark.parametrize("task_id", ["中文任务-1a2b", "my task", "a.b", "t*", "", "t>"])
def test_an_id_unsafe_for_keys_or_subjects_is_invalid(task_id):
    assert not is_valid(task_id)
