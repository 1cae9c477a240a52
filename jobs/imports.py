"""A file import as a background job, the same for every register that takes one (doorplates, place names): the
upload page's checks and options (jobs/templates/jobs/_import_form.html), the job's result and its report
(jobs/templates/jobs/_import_report.html)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.utils.translation import gettext as _

from core import params as typed
from core import uploads
from gis.crs import parse_crs
from gis.errors import InputError
from jobs import services

FORMATS = (".csv", ".txt", ".xlsx", ".gpkg")
MAX_LISTED_PROBLEMS = 20_000  # rows a report keeps one by one; the count says how many more there were


def form_values(request, crs: str) -> dict:
    """The form's choices: what was posted, else import nothing on a rejected row, detect the encoding, ``crs``."""
    return request.POST or {"commit": "all", "encoding": "auto", "crs": crs}


def submit_upload(request, kind: str, *, crs: str, title: str):
    """Queues the posted file as a job of ``kind`` with the form's options; ``title`` names the file as %(file)s."""
    upload = request.FILES.get("file")
    if upload is None:
        raise InputError(_("Choose a file."), code="missing_value", where={"field": "file"})
    upload.name = uploads.display_name(upload.name)
    if Path(upload.name).suffix.lower() not in FORMATS:
        raise InputError(_("Files of this kind cannot be imported: upload CSV, XLSX or GeoPackage."),
                         code="unsupported_format", where={"field": "file", "file": upload.name})
    values = request.POST
    params = {"commit": typed.choice(values, "commit", ("all", "valid"), "all", label=_("what to do with the rest")),
              "encoding": typed.choice(values, "encoding", ("auto", "utf-8", "gbk"), "auto",
                                       label=_("file encoding")),
              "crs": parse_crs(values.get("crs") or crs).value,
              "dry_run": bool(values.get("dry_run")), "file_name": upload.name}
    return services.submit(kind, request.user, title=title % {"file": upload.name}, params=params, upload=upload)


def options(params: dict, crs: str) -> dict:
    """The import function's keyword arguments from a job's params."""
    return {"commit": params.get("commit", "all"), "encoding": params.get("encoding", "auto"),
            "crs": params.get("crs") or crs, "dry_run": bool(params.get("dry_run")),
            "file_name": params.get("file_name", "")}


def result(report, params: dict, column=None) -> dict:
    """The job's result for its report: counts, notes and the first rejected rows (``column`` names a column as the
    user's file does)."""
    problems = [{**dataclasses.asdict(p), **({"column": column(p.column) if p.column else ""} if column else {})}
                for p in report.problems]
    return {"total": report.total, "created": report.created, "accepted": report.accepted,
            "rejected": len(report.rejected_rows), "committed": report.committed, "notes": report.notes,
            "dry_run": bool(params.get("dry_run")), "problems": problems[:MAX_LISTED_PROBLEMS],
            "problems_left_out": max(0, len(problems) - MAX_LISTED_PROBLEMS)}
