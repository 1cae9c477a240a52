"""Doorplate imports as background jobs: a county's file of 100,000 plates takes longer than a page should wait,
so the import page queues it and the officer follows its progress (jobs.views)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from doorplates import readers
from doorplates.importing import import_doorplates
from jobs.registry import Kind, register

MAX_LISTED_PROBLEMS = 20_000  # rows a report keeps one by one; the count says how many more there were


def run_import(job, progress) -> dict:
    params = job.params
    report = import_doorplates(Path(job.input_file.path), commit=params.get("commit", "all"),
                               encoding=params.get("encoding", "auto"), crs=params.get("crs") or "EPSG:4326",
                               actor=job.actor, dry_run=bool(params.get("dry_run")),
                               file_name=params.get("file_name", ""), progress=progress)
    problems = [{**dataclasses.asdict(p), "column": readers.column_label(p.column, report.headers) if p.column else ""}
                for p in report.problems]
    return {"total": report.total, "created": report.created, "accepted": report.accepted,
            "rejected": len(report.rejected_rows), "committed": report.committed, "notes": report.notes,
            "dry_run": bool(params.get("dry_run")), "problems": problems[:MAX_LISTED_PROBLEMS],
            "problems_left_out": max(0, len(problems) - MAX_LISTED_PROBLEMS)}


IMPORT = register(Kind(name="doorplates.import", run=run_import, result_template="doorplates/import_report.html",
                       stages={"rows": "逐行检查并暂存", "insert": "写入门牌库"}))
