"""Bulk place-name loads as background jobs (the upload page queues them; jobs.views shows progress and report)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from jobs import imports
from jobs.registry import Kind, register
from placenames.bulk import import_places


def run_import(job, progress) -> dict:
    report = import_places(Path(job.input_file.path), actor=job.actor, progress=progress,
                           **imports.options(job.params, "EPSG:4490"))
    return imports.result(report, job.params)


IMPORT = register(Kind(name="placenames.import", run=run_import, result_template="placenames/import_report.html",
                       stages={"rows": _("checking rows"), "insert": _("writing place names")}))
