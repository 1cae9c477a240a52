"""The kinds of background job and the periodic chores: each app registers what it runs (in its jobs.py) and how its
result is shown, and what the worker should do every hour or day (pruning caches, compacting history)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

# run(job, progress) -> result (JSON-able); progress(stage, done, total) may be called as often as the work likes.
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable[[Any, Progress], dict]
    result_template: str  # renders {"job": job, "result": job.result} on the job page
    stages: dict[str, str]  # stage code -> what the progress page says (Chinese)


@dataclass(frozen=True)
class Chore:
    """Work the worker does on a schedule, once per ``every`` across all workers (jobs.worker)."""
    name: str
    every: timedelta
    run: Callable[[], object]


_KINDS: dict[str, Kind] = {}
_CHORES: dict[str, Chore] = {}


def register(kind: Kind) -> Kind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


def every(interval: timedelta, name: str):
    """Decorator: ``@every(timedelta(hours=1), "tiles.prune_cache")`` runs the function hourly in the worker."""
    def decorate(function):
        chore = Chore(name, interval, function)
        if name in _CHORES and _CHORES[name].run is not function:
            raise ValueError(f"chore {name!r} is registered twice")
        _CHORES[name] = chore
        return function
    return decorate


def chores() -> list[Chore]:
    return list(_CHORES.values())
