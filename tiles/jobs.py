"""Offline packages (离线包) as background jobs: a PMTiles archive of an area's public layers, for tablets that lose
the signal in the mountains. A county at z10–17 is tens of thousands of tiles, too many for a page to wait for."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boundaries.models import AdminArea
from jobs import services as jobs
from jobs.registry import Kind, every, register
from tiles.pmtiles_export import export_area, outdated_archives
from tiles.services import prune_cache


def run_package(job, progress) -> dict:
    params = job.params
    done_before = [0]

    def tiles_done(done: int, total: int) -> None:  # export_area counts from the start, the job by steps
        progress("tiles", done - done_before[0], total)
        done_before[0] = done

    result = export_area(params["area"], (params["zoom_min"], params["zoom_max"]), progress=tiles_done)
    name = result.path.stem
    return {"name": name, "area": params["area"], "area_name": params.get("area_name", ""),
            "zooms": f"{params['zoom_min']}-{params['zoom_max']}", "tiles": result.tiles, "written": result.written,
            "size": result.size, "url": reverse("tiles:pmtiles", args=[name]),
            "map_url": reverse("tiles:map") + f"?pmtiles={name}"}


PACKAGE = register(Kind(name="tiles.offline_package", run=run_package, result_template="tiles/package_result.html",
                        stages={"tiles": gettext_lazy("drawing tiles")}))


@every(timedelta(hours=1), "tiles.prune_cache")
def prune_cache_hourly():
    """Keeps the tile cache within TILES_CACHE_MAX_MB (dropped tiles are drawn again when asked for)."""
    return prune_cache(settings.TILES_CACHE_MAX_BYTES)


@every(timedelta(hours=1), "tiles.renew_packages")
def renew_packages() -> list[str]:
    """Queues a new build of each package on the server made in an older format (pmtiles_export.ARCHIVE_FORMAT), at
    its own zoom levels, so that tablets fetch it again at their next sync. Once per package: not again when a
    build of it was queued since it was made (a build that failed is left for an officer to look at)."""
    queued = []
    for archive in outdated_archives():
        area = AdminArea.objects.filter(code=archive.name).exclude(geom=None).first()
        if area is None or jobs.submitted_since(PACKAGE.name, archive.made, area=area.code):
            continue
        low, high = archive.zooms
        jobs.submit(PACKAGE.name, None, title=_("Offline package: %(area)s") % {"area": area.name},
                    params={"area": area.code, "area_name": area.full_name(), "zoom_min": low, "zoom_max": high})
        queued.append(area.code)
    return queued
