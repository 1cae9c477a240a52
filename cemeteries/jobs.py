"""Zone and corridor files imported as background jobs (a survey's GeoPackage of thousands of polygons takes longer
than a page should wait). Visibility from the road as background jobs: a corridor's counts take seconds to minutes (600 observers on a
30 km expressway), so a change to a corridor or the DEM queues them (cemeteries.sights.schedule) and the worker runs
them; an hourly chore catches graves added since their corridor was last counted. Another chore makes the city's
weekly report once each week is over (cemeteries.weekly.archive_last_week; looked at every six hours, made once),
kept for the city's officers on the campaign list."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from jobs.registry import Kind, every, register


def run_visibility(job, progress) -> dict:
    from cemeteries.models import Corridor
    from cemeteries.sights import compute_corridor

    corridor = Corridor.objects.filter(pk=job.params.get("corridor")).first()
    if corridor is None:
        return {"computed": False, "reason": "no_corridor"}
    return compute_corridor(corridor, progress)


def run_import(job, progress) -> dict:
    """Zones or corridors from an uploaded GeoPackage/GeoJSON (cemeteries.zones), the report row by row."""
    from pathlib import Path

    from cemeteries.zones import import_corridors, import_zones

    params = job.params
    importer = import_corridors if params.get("what") == "corridors" else import_zones
    progress("rows", 0, None)
    report = importer(Path(job.input_file.path), kind=params.get("kind") or None, fmt=params.get("format"),
                      commit=params.get("commit", "valid"), label=params.get("file_name", ""))
    return {"what": report.what, "file": report.file, "saved": report.saved, "rejected": report.rejected,
            "rows": [{"row": r.row, "name": r.name, "ok": r.ok, "message": r.message, "notes": r.notes}
                     for r in report.rows[:MAX_LISTED_ROWS]],
            "rows_left_out": max(0, len(report.rows) - MAX_LISTED_ROWS)}


MAX_LISTED_ROWS = 20_000
IMPORT = register(Kind(name="cemeteries.import", run=run_import, result_template="cemeteries/import_result.html",
                       stages={"rows": _("Reading and checking each feature")}))

VISIBILITY = register(Kind(name="cemeteries.visibility", run=run_visibility,
                           result_template="cemeteries/visibility_result.html",
                           stages={"observers": _("Sweeping the terrain from each observer")}))


@every(timedelta(hours=1), "cemeteries.visibility_catch_up")
def count_new_graves_hourly():
    from cemeteries.sights import corridors_missing_counts, schedule
    from cemeteries.terrain import current_dem

    if current_dem() is None:
        return 0
    return len(schedule(corridors_missing_counts()))


@every(timedelta(hours=6), "cemeteries.weekly_report")
def make_weekly_report():
    from cemeteries.weekly import archive_last_week

    made = archive_last_week()
    return made.week_end.isoformat() if made else None
