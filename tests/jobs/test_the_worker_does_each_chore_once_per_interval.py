"""Periodic chores (the hourly tile-cache prune, the daily feed compaction, forgetting old jobs) run in the worker,
once per interval however many workers there are, and a failing chore does not stop the others."""

from datetime import timedelta

import pytest

from jobs import registry, worker
from jobs.models import ChoreRun

CALLS = []


@registry.every(timedelta(hours=1), "tests.counting_chore")
def _counting_chore():
    CALLS.append(1)


@registry.every(timedelta(hours=1), "tests.failing_chore")
def _failing_chore():
    raise RuntimeError("a bug")


@pytest.mark.django_db
def test_the_prunes_are_chores_of_the_worker():
    names = {chore.name: chore.every for chore in registry.chores()}

    assert names["tiles.prune_cache"] == timedelta(hours=1)
    assert names["exports.prune_feed"] == timedelta(days=1)
    assert names["jobs.forget_old_jobs"] == timedelta(hours=1)


@pytest.mark.django_db
def test_a_chore_runs_once_per_interval_and_a_failing_one_waits_its_turn():
    CALLS.clear()

    first = worker.run_due_chores()
    second = worker.run_due_chores()  # another worker, a moment later

    assert {"tests.counting_chore", "tests.failing_chore", "tiles.prune_cache", "exports.prune_feed"} <= set(first)
    assert second == [] and CALLS == [1]
    ChoreRun.objects.filter(name="tests.counting_chore").update(started=ChoreRun.objects.get(
        name="tests.counting_chore").started - timedelta(minutes=61))
    assert worker.run_due_chores() == ["tests.counting_chore"] and CALLS == [1, 1]
