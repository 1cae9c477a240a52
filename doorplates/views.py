"""Officer pages: roads of the user's regions, a road's plates on a map with its numbering check, the QR sheet,
a plate's record; and the public page a scanned QR code opens (/d/<token>)."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from accounts.scoping import has_role, home_extent, scope
from audit.privacy import hidden_from, visible_history
from boundaries.models import AdminArea
from core import params as typed
from doorplates import qr, readers, services
from doorplates.addresses import ADMIN_LEVELS, INFILL_EXAMPLES, gazetteer
from doorplates.jobs import IMPORT
from doorplates.models import Doorplate, DoorplateImport, PlateStatus, PlateType
from gis.errors import DimingError, InputError, NotFound, PermissionDenied
from jobs import imports
from placenames.bases import BaseKind, bases_in_use, pinyin_of
from placenames.roads import Road, roads_in_use

ROADS_PER_PAGE = 50
SHEET_LIMIT = 2000


def _roads(user):
    return scope(roads_in_use(), user, "area")


def _road(user, uuid) -> Road:
    road = _roads(user).select_related("area", "kind").filter(pk=uuid).first()
    if road is None:
        raise NotFound(_("Road not found."), code="road_not_found")
    return road


def LOOKUP_WORDS() -> dict:  # noqa: N802 - the words the lookup script shows, in the user's language
    return {"plate": _("Found the doorplate"), "road": _("Found the road, not the number"),
            "area": _("Found only the area"), "none": _("Nothing found for this address"),
            "metres": _("%(m)s m away"), "nearest": _("Nearest doorplates to the point you clicked"),
            "no_plates": _("No doorplate of your regions near this point")}


@login_required
@require_GET
def index(request):
    """Roads of the user's regions, with a name filter and an address search box."""
    q = typed.text(request.GET, "q", label=_("The search"))
    roads = _roads(request.user).select_related("area")
    if q:
        roads = roads.filter(Q(name__contains=q) | Q(pinyin_key__contains=q.lower().replace(" ", "")))
    county = typed.area_code(request.GET, "county", label=_("County"))
    if county:
        roads = roads.filter(area__code12__startswith=county[:6])
    page = Paginator(roads.order_by("name", "uuid"), ROADS_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(Doorplate.objects.current().filter(road__in=[r.pk for r in page])
                  .values_list("road").annotate(n=Count("uuid")))
    for road in page:
        road.plate_count = counts.get(road.pk, 0)
    counties = scope(AdminArea.objects.filter(level="county"), request.user, "")
    return render(request, "doorplates/index.html", {
        "page": page, "q": q, "county": county, "query": typed.query(q=q, county=county), "counties": counties,
        "title": _("Doorplates"),
        "bases": _bases_named(request.user, q, county) if q else [],
        "can_edit": has_role(request.user, *services.EDIT_ROLES),
        "lookup": {"geocode": reverse("doorplates:api_geocode"), "reverse": reverse("doorplates:api_reverse"),
                   "plates": reverse("doorplates:index") + "plates/", "extent": home_extent(request.user),
                   "words": LOOKUP_WORDS()},
        "imports": scope(DoorplateImport.objects.select_related("area", "actor"), request.user, "area")[:5],
        "prints_qr": _sees_tokens(request.user),
    })


def _bases_named(user, q: str, county: str | None) -> list[dict]:
    """The villages and residential areas in the user's regions whose name or pinyin holds ``q`` (the first few)."""
    rows = []
    for kind, route in ((BaseKind.VILLAGE, "doorplates:village"), (BaseKind.RESIDENTIAL, "doorplates:residential_area")):
        found = scope(bases_in_use(kind), user, "area").filter(
            Q(name__contains=q) | Q(pinyin_key__contains=q.lower().replace(" ", "")))
        if county:
            found = found.filter(area__code12__startswith=county[:6])
        rows += [{"base": b, "kind": _("A village") if kind == BaseKind.VILLAGE else _("A residential area"),
                  "url": reverse(route, args=[b.pk])} for b in found.select_related("area").order_by("name")[:20]]
    return rows


@login_required
@require_GET
def road_detail(request, uuid):
    return _road_page(request, _road(request.user, uuid))


def _road_page(request, road, *, refused: bool = False):
    """The road's page; refused numbering rules come back on it as they were typed, the form open (status 400)."""
    check = services.check_road(road)
    flagged = check.flagged()
    positions = {p.key.uuid: p for p in check.positions}
    plates = sorted(positions.values(), key=lambda p: (p.side, p.chainage_m))
    elsewhere = _elsewhere(request.user, [p.key for p in plates])
    rows = [{"plate": p.key, "position": p, "flags": [ROAD_FINDINGS.get(f, f) for f in flagged.get(p.key.uuid, [])],
             "elsewhere": elsewhere.get(p.key.uuid)} for p in plates]
    map_data = {
        "road": json.loads(road.geom.geojson),
        "plates": [{"uuid": str(p.key.uuid), "number": p.number.label, "lon": p.key.geom.x, "lat": p.key.geom.y,
                    "status": p.key.status, "flags": flagged.get(p.key.uuid, []),
                    "url": None if p.key.uuid in elsewhere else reverse("doorplates:plate", args=[p.key.uuid])}
                   for p in plates],
        "suggest_url": reverse("doorplates:api_road_suggest", args=[road.pk]),
    }
    return render(request, "doorplates/road.html", {
        "road": road, "check": check, "counts": check.counts(), "rows": rows, "map_data": map_data,
        "findings": check.findings, "rules": check.rules, "title": road.name,
        "can_set_rules": has_role(request.user, Role.OFFICER), "infill_examples": INFILL_EXAMPLES,
        "prints_qr": _sees_tokens(request.user), "refused": refused,
        "rules_form": typed.form_values(request, refused, **{name: getattr(check.rules, name) for name in (
            "reversed", "odd_side", "spacing_m", "max_offset_m", "infill_style")}),
    }, status=400 if refused else 200)


def _sees_tokens(user) -> bool:
    """Whether the user sees plates' QR tokens, and so prints the installers' QR sheets."""
    return "token" not in hidden_from(user, Doorplate)


def _elsewhere(user, plates) -> dict:
    """The county of each of ``plates`` outside the user's regions, by uuid. A road across a county line carries the
    plates of both sides: its page lists them all, as its numbering runs across, and opens only the user's own."""
    ids = [p.pk for p in plates]
    mine = scope(Doorplate.objects.filter(pk__in=ids), user, "area").values("pk")
    others = dict(Doorplate.objects.filter(pk__in=ids).exclude(pk__in=mine).values_list("pk", "area__code"))
    if not others:
        return {}
    counties = dict(AdminArea.objects.filter(level="county", code__in={code[:6] for code in others.values()})
                    .values_list("code", "name"))
    return {pk: counties.get(code[:6], "") for pk, code in others.items()}


ROAD_FINDINGS = {  # what each kind of finding of a road's check is called in its plate table (as in its counts)
    "duplicate": gettext_lazy("duplicates"),
    "wrong_side": gettext_lazy("on the wrong side"),
    "out_of_order": gettext_lazy("out of order"),
    "too_far": gettext_lazy("too far from the road"),
}

BASE_FINDINGS = {  # what each kind of finding of a village's or residential area's check is called on its page
    "duplicate": gettext_lazy("duplicates"),
    "gap": gettext_lazy("skipped numbers, buildings or units"),
    "orphan_infill": gettext_lazy("infills or annexes without their number"),
    "missing_building": gettext_lazy("units or rooms without their building's plate"),
    "missing_unit": gettext_lazy("rooms without their unit's plate"),
    "too_far": gettext_lazy("too far outside"),
}


@login_required
@require_GET
def base_detail(request, uuid, kind):
    """A village's or residential area's plates and the findings of its numbering check (region-scoped)."""
    base = services.base_of(kind, uuid, request.user)
    check = services.check_base(kind, base)
    flagged: dict = {}
    for finding in check.findings:
        for plate in finding.keys:
            flagged.setdefault(plate.uuid, []).append(BASE_FINDINGS.get(finding.kind, finding.kind))
    members = sorted(check.members, key=lambda m: (m.group, m.key.number is None, m.key.number or 0, m.key.sub_number,
                                                   m.key.annex, _natural(m.building), _natural(m.unit),
                                                   _natural(m.room)))
    elsewhere = _elsewhere(request.user, [m.key for m in members])
    rows = [{"plate": m.key, "label": m.label, "outside_m": m.distance_m, "flags": flagged.get(m.key.uuid, []),
             "elsewhere": elsewhere.get(m.key.uuid)} for m in members]
    counts = [(BASE_FINDINGS[k], n) for k, n in check.counts().items()]
    return render(request, "doorplates/base_place.html", {
        "base": base, "kind": kind, "rows": rows, "counts": counts, "findings": check.findings, "title": base.name,
        "kind_label": _("A village") if kind == BaseKind.VILLAGE else _("A residential area"),
        "can_edit": has_role(request.user, *services.EDIT_ROLES),
    })


def _natural(text: str) -> tuple[int, str]:
    return len(text), text  # 2 before 10


@login_required
@require_POST
def road_numbering(request, uuid):
    """The numbering rules form of the road page (officers)."""
    from doorplates.api import numbering_settings

    road = _road(request.user, uuid)
    data = request.POST.copy()
    data.setdefault("reversed", "false")
    labels = {"reversed": _("Number from the line's end"), "odd_side": _("side of odd numbers"), "infill_style": _("style of infill numbers"),
              "spacing_m": _("Metres of frontage per number"), "max_offset_m": _("Largest distance from the road (m)")}
    try:
        services.set_numbering(request.user, road, **numbering_settings(data, labels=labels))
    except DimingError as error:
        messages.error(request, error.message)
        return _road_page(request, road, refused=True)
    messages.success(request, _("The numbering rules are saved."))
    return redirect("doorplates:road", uuid=road.pk)


def _area_label(plate: Doorplate) -> str:
    names = gazetteer()
    level = plate.area.level if plate.area.level in ADMIN_LEVELS else "township"
    return "".join(a.name for a in names.chain(plate.area.code12, level)[2:]) or plate.area.name


def _sheet_plates(request) -> tuple[list[Doorplate], str]:
    plates = scope(Doorplate.objects.current().exclude(token=None), request.user, "area").select_related("area")
    road_uuid = typed.uuid(request.GET, "road", label=_("road"))
    batch_id = typed.integer(request.GET, "batch", label=_("The import batch"))
    if road_uuid:
        road = _road(request.user, road_uuid)
        plates, title = plates.filter(road=road), road.name
    elif batch_id is not None:
        batch = scope(DoorplateImport.objects, request.user, "area").filter(pk=batch_id).first()
        if batch is None:
            raise NotFound(_("Import not found."), code="not_found")
        plates, title = plates.filter(batch=batch), batch.file_name
    else:
        raise InputError(_("Choose a road or an import batch."), code="missing_value", where={"field": "road"})
    plates = list(plates.order_by("road_name", "number", "sub_number", "building", "unit", "room")[:SHEET_LIMIT])
    pinyin = pinyin_of({p.base_id for p in plates})
    for plate in plates:
        plate.area_label = _area_label(plate)
        plate.road_pinyin = pinyin.get(plate.base_id, "")
        plate.qr = qr.qr_svg(plate.public_url, scale=3)
    return plates, title


@login_required
@require_GET
def sheet(request):
    """Printable QR plates (?road=<uuid> or ?batch=<import id>); &format=svg&page=N for one A4 page as SVG."""
    if not _sees_tokens(request.user):
        raise PermissionDenied(_("Only officers and field crews print QR plates."), code="role_required")
    plates, title = _sheet_plates(request)
    if typed.choice(request.GET, "format", ["html", "svg"], "html", label=_("format")) == "svg":
        page = typed.integer(request.GET, "page", 1, low=1, high=10_000, label=_("The page number"))
        chunk = plates[(page - 1) * qr.PER_PAGE: page * qr.PER_PAGE]
        response = HttpResponse(qr.sheet_svg(chunk, f"{title} · {page}"), content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="doorplates-{page}.svg"'
        return response
    pages = range(1, (len(plates) + qr.PER_PAGE - 1) // qr.PER_PAGE + 1)
    return render(request, "doorplates/sheet.html", {"plates": plates, "title": title, "pages": pages,
                                                     "query": request.GET.urlencode()})


@login_required
@require_GET
def plate_detail(request, uuid):
    plate = services.visible_plate(request.user, uuid)
    can_edit = has_role(request.user, *services.EDIT_ROLES)
    sees_token = _sees_tokens(request.user)
    return render(request, "doorplates/plate.html", {
        "plate": plate, "changes": visible_history(plate, request.user), "can_edit": can_edit,
        "title": plate.address, "sees_token": sees_token,
        "qr": qr.qr_svg(plate.public_url, scale=4) if plate.token and sees_token else "",
        "transitions": [PlateStatus(s) for s in sorted(services.TRANSITIONS.get(plate.status, ()))],
        "history_empty": _("Imported in bulk; no later changes.") if plate.batch_id else _("No recorded changes."),
        "map_data": {"lon": round(plate.geom.x, 7), "lat": round(plate.geom.y, 7),
                     "road": json.loads(plate.base.geom.geojson)},  # a village's or residential area's outline
    })


@login_required
@require_POST
def plate_action(request, uuid):
    plate = scope(Doorplate.objects.all(), request.user, "area").filter(pk=uuid).first()
    if plate is None:
        raise NotFound(_("Doorplate not found."), code="not_found")
    what = request.POST.get("action")
    reason = request.POST.get("reason", "").strip()
    version = typed.form_version(request.POST)
    if what not in ACTION_DONE:
        raise InputError(_("Unknown action."), where={"field": "action"})
    if not reason:  # the page asks for one; the history keeps it
        raise InputError(_("Give the reason for this action: the history keeps it."), code="missing_value",
                         where={"field": "reason"})
    if what == "status":
        plate = services.set_status(request.user, plate, request.POST.get("status", ""), reason=reason,
                                    version=version)
    else:
        plate = services.revoke_token(request.user, plate, reissue=what == "reissue", reason=reason,
                                      version=version)
    messages.success(request, ACTION_DONE[what] % {"status": plate.get_status_display()})
    return redirect("doorplates:plate", uuid=plate.pk)


ACTION_DONE = {"status": gettext_lazy("The status is now %(status)s."),
               "revoke": gettext_lazy("The QR code is revoked: a scan of the plate no longer opens its page."),
               "reissue": gettext_lazy("A new QR code is issued: print the plate again.")}


IMPORT_ROLES = services.EDIT_ROLES


@login_required
def import_file(request):
    """Upload a CSV (UTF-8 or GBK), XLSX or GeoPackage: the import runs as a background job whose page shows its
    progress and then the report of every rejected row and why (doorplates.jobs)."""
    if not has_role(request.user, *IMPORT_ROLES):
        raise PermissionDenied(_("Importing doorplates needs the officer or field-crew role."), code="role_required")
    values = imports.form_values(request, "EPSG:4326")
    if request.method == "POST":
        job = imports.submit_upload(request, IMPORT.name, crs="EPSG:4326", title=_("Doorplate import: %(file)s"))
        return redirect("jobs:job", uuid=job.uuid)
    return render(request, "doorplates/import.html", {"title": _("Import doorplates"), "values": values})


def _template_rows(user) -> list[list[str]]:
    """The template's header row, in the user's language (readers.COLUMN_LABELS, headers the reader knows), and one
    example row taken from a plate of the user's regions."""
    header = [str(readers.COLUMN_LABELS[c]) for c in readers.TEMPLATE_COLUMNS]
    plate = (scope(Doorplate.objects.current(), user, "area").select_related("area")
             .filter(road__isnull=False, plate_type=PlateType.DOOR, status=PlateStatus.INSTALLED)
             .order_by("road_id", "number", "sub_number")  # doorplate_road_number's order: no sort of a million
             .first())
    if plate is None:
        return [header]
    county = gazetteer().chain(plate.area.code12, "county")[-1].name if plate.area.code12 else ""
    example = {"road": plate.road_name, "number": plate.number_label, "lon": f"{plate.geom.x:.6f}",
               "lat": f"{plate.geom.y:.6f}", "county": county, "plate_type": plate.get_plate_type_display(),
               "status": plate.get_status_display(),
               "installed_on": plate.installed_on.isoformat() if plate.installed_on else ""}
    return [header, [example.get(c, "") for c in readers.TEMPLATE_COLUMNS]]


@login_required
@require_GET
def import_template(request, fmt: str):
    """A file to fill in (CSV in UTF-8 with a BOM, so that Excel reads its Chinese; or XLSX), headers in the user's
    language."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = _template_rows(request.user)
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="doorplates-template.{fmt}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def public_plate(request, token):
    """What a scanned plate shows anyone: the standard address, its road, village or residential area and pinyin,
    the area, a small map."""
    plate = Doorplate.objects.resolving(token).with_base_and_area().first()
    if plate is None:  # the citizen who scanned it is told what that means, not that a page is missing
        response = render(request, "doorplates/public_unknown.html",
                          {"title": _("This doorplate's code is not in service")}, status=404)
        response["X-Robots-Tag"] = "noindex"
        return response
    base = plate.base
    response = render(request, "doorplates/public.html", {
        "plate": plate, "base": base, "area_label": _area_label(plate), "title": plate.address,
        "map_data": {"lon": round(plate.geom.x, 6), "lat": round(plate.geom.y, 6),
                     "base": json.loads(base.geom.geojson)},
    })
    response["Cache-Control"] = "no-cache"  # a revoked token must stop resolving at once
    response["X-Robots-Tag"] = "noindex"
    return response
