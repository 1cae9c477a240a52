"""Bulk place-name loads as background jobs (the upload page queues them; jobs.views shows progress and report)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from jobs.registry import Kind, register
from placenames.bulk import import_places

MAX_LISTED_PROBLEMS = 20_000


def run_import(job, progress) -> dict:
    params = job.params
    report = import_places(Path(job.input_file.path), commit=params.get("commit", "all"),
                           encoding=params.get("encoding", "auto"), crs=params.get("crs") or "EPSG:4490",
                           actor=job.actor, dry_run=bool(params.get("dry_run")),
                           file_name=params.get("file_name", ""), progress=progress)
    problems = [dataclasses.asdict(p) for p in report.problems]
    return {"total": report.total, "created": report.created, "accepted": report.accepted,
            "rejected": len(report.rejected_rows), "committed": report.committed, "notes": report.notes,
            "dry_run": bool(params.get("dry_run")), "problems": problems[:MAX_LISTED_PROBLEMS],
            "problems_left_out": max(0, len(problems) - MAX_LISTED_PROBLEMS)}


IMPORT = register(Kind(name="placenames.import", run=run_import, result_template="placenames/import_report.html",
                       stages={"rows": _("checking rows"), "insert": _("writing place names")}))
