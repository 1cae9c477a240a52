"""The kinds of background job: each app registers what it runs (in its jobs.py) and how its result is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# run(job, progress) -> result (JSON-able); progress(stage, done, total) may be called as often as the work likes.
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable[[Any, Progress], dict]
    result_template: str  # renders {"job": job, "result": job.result} on the job page
    stages: dict[str, str]  # stage code -> what the progress page says (Chinese)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    return _KINDS.get(name)
