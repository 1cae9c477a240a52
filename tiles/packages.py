"""The offline-package page: the archives on the server, and a form that queues a new one for an area of the
user's region (tiles.jobs). Packages hold the public variant of every public layer."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import Role
from accounts.scoping import has_role, scope
from boundaries.models import AdminArea
from gis.errors import InputError, NotFound, PermissionDenied
from jobs import services as jobs
from tiles.jobs import PACKAGE
from tiles.pmtiles_export import ARCHIVE_FORMAT, DEFAULT_ZOOMS, archive_dir, parse_zooms, read_archive

PACKAGE_ROLES = (Role.OFFICER, Role.FIELD_CREW)
PACKAGE_LEVELS = ("county", "township")
MAX_ZOOM_SPAN = 8  # 10-17; a county over more zooms goes past the archive's tile limit anyway


def _areas(user):
    areas = AdminArea.objects.filter(level__in=PACKAGE_LEVELS).exclude(geom=None)
    return scope(areas, user, "").order_by("code12")


def _archives(user) -> list[dict]:
    folder = archive_dir()
    paths = sorted(folder.glob("*.pmtiles")) if folder.is_dir() else []
    names = [p.stem for p in paths]
    areas = AdminArea.objects.in_bulk(names, field_name="code")  # archives are named by area code
    # The newest build of each, whoever asked for it (an officer, or the worker renewing an outdated package): the
    # page tells of a build newer than the package on the server.
    builds = jobs.latest(PACKAGE.name, "area", names)
    found = []
    for path in paths:
        stat = path.stat()
        at = datetime.fromtimestamp(stat.st_mtime, tz=timezone.get_current_timezone())
        build = builds.get(path.stem)
        found.append({"name": path.stem, "area": areas.get(path.stem), "size_kb": stat.st_size // 1024, "at": at,
                      "outdated": read_archive(path).format < ARCHIVE_FORMAT,
                      "build": build if build is not None and build.created > at else None,
                      "build_visible": build is not None and _follows(user, build)})
    return found


def _follows(user, job) -> bool:
    try:
        jobs.visible_job(user, job.uuid)
    except NotFound:
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def packages(request):
    if not has_role(request.user, *PACKAGE_ROLES):
        raise PermissionDenied(_("Only staff and field crews make offline packages."), code="role_required")
    values = request.POST or {"zooms": "{}-{}".format(*DEFAULT_ZOOMS)}
    if request.method == "POST":
        area = _areas(request.user).filter(code=values.get("area", "")).first()
        if area is None:
            raise InputError(_("Choose a county (city, district) or a township (subdistrict) in your area."), code="unknown_area",
                             where={"field": "area", "area": values.get("area", "")[:20]})
        low, high = parse_zooms(values.get("zooms", ""))
        if high - low + 1 > MAX_ZOOM_SPAN:
            raise InputError(_("At most %(max)s zoom levels (as in 10-17).") % {"max": MAX_ZOOM_SPAN}, code="invalid_zooms",
                             where={"field": "zooms", "zooms": values.get("zooms")})
        job = jobs.submit(PACKAGE.name, request.user, title=_("Offline package: %(area)s") % {"area": area.name},
                          params={"area": area.code, "area_name": area.full_name(), "zoom_min": low,
                                  "zoom_max": high})
        return redirect("jobs:job", uuid=job.uuid)
    return render(request, "tiles/packages.html", {
        "title": _("Offline packages"), "areas": _areas(request.user), "archives": _archives(request.user), "values": values,
    })
