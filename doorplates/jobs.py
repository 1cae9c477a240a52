"""Doorplate imports as background jobs: a county's file of 100,000 plates takes longer than a page should wait,
so the import page queues it and the officer follows its progress (jobs.views)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from doorplates import readers
from doorplates.importing import import_doorplates
from jobs import imports
from jobs.registry import Kind, register


def run_import(job, progress) -> dict:
    report = import_doorplates(Path(job.input_file.path), actor=job.actor, progress=progress,
                               **imports.options(job.params, "EPSG:4326"))
    return imports.result(report, job.params, column=lambda column: readers.column_label(column, report.headers))


IMPORT = register(Kind(name="doorplates.import", run=run_import, result_template="doorplates/import_report.html",
                       stages={"rows": _("checking and staging rows"), "insert": _("writing doorplates")}))
