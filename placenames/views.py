"""Officer pages (Chinese by default), the public consultation page and the announcement documents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from accounts.scoping import can_act_in, has_role, scope
from boundaries.models import AdminArea, Level
from core import uploads
from core.clientip import client_address
from core.errors import with_headers
from gis.errors import DimingError, InputError, PermissionDenied
from placenames import announcements, consultation, ratelimit, services, workflow
from placenames.authorities import people_government
from placenames.forms import ApplicationForm, PublicObjectionForm
from placenames.models import ApplicationState, ApplicationType, PlaceKind, PlaceStatus
from placenames.nearby import application_geojson
from placenames.pinyin import split_name
from placenames.rules import EXPLANATIONS
from placenames.search import MAX_RESULTS, search_places

FIELD_LABELS = {
    "reason": pgettext_lazy("naming application", "Reason"),
    "expert_opinion": gettext_lazy("Expert review opinion"),
    "consultation_days": gettext_lazy("Consultation days"),
    "approving_authority": gettext_lazy("Approving authority"),
    "approval_reference": gettext_lazy("Approval reference"),
    "filed_with": gettext_lazy("Filed with"),
    "filing_reference": gettext_lazy("Filing reference"),
    "announcement_reference": gettext_lazy("Announcement reference"),
}
LONG_FIELDS = {"reason", "expert_opinion"}


def _require_application_role(user) -> None:
    if not has_role(user, *services.APPLICATION_ROLES):
        raise PermissionDenied(_("Only place-name officers and reviewers can see naming applications."), code="role_required")


def _counties_of(user):
    return scope(AdminArea.objects.at_level(Level.COUNTY), user, "")


def _parse_date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(_("A date is written YYYY-MM-DD: %(value)s") % {"value": value}, where={"field": field}) from None


# --- queue, search, places ---------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    """申请队列: the applications of the user's counties, open ones first, filtered by county and state."""
    _require_application_role(request.user)
    rows = services.visible_applications(request.user)
    county, state = request.GET.get("county", ""), request.GET.get("state", "open")
    if county:
        rows = rows.in_county(county)
    if state == "open":
        rows = rows.open()
    elif state in ApplicationState.values:
        rows = rows.filter(state=state)
    overdue = services.overdue_applications(request.user).count()
    return render(request, "placenames/queue.html", {
        "title": _("Naming applications"),
        "applications": rows.order_by("-updated_at")[:200], "counties": _counties_of(request.user),
        "county": county, "state": state, "states": ApplicationState.choices, "overdue": overdue,
        "can_draft": has_role(request.user, Role.OFFICER),
    })


PAGE_SIZE = 50
ALL_STATUSES = "all"


def _status_filter(value: str) -> tuple[str, tuple[str, ...]]:
    """The status asked for (in use unless another, or all) and the statuses it stands for."""
    if value == ALL_STATUSES:
        return value, tuple(PlaceStatus.values)
    value = value if value in PlaceStatus.values else PlaceStatus.IN_USE
    return value, (value,)


@login_required
@require_GET
def search(request):
    """Search names (one character is enough), or browse them all with filters, a page at a time."""
    query = request.GET.get("q", "").strip()
    county, kind = request.GET.get("county", ""), request.GET.get("kind", "")
    status, statuses = _status_filter(request.GET.get("status", ""))
    places = services.visible_places(request.user)
    if query:
        results = search_places(query, queryset=places, county=county or None, kind=kind or None,
                                statuses=statuses, limit=MAX_RESULTS)
    else:
        results = places.filter(status__in=statuses)
        if county:
            results = results.filter(area__code12__startswith=county[:6])
        if kind:
            results = results.filter(kind__code=kind)
        results = results.defer("geom", "geom_3857", "area__geom", "area__geom_3857").order_by("name", "uuid")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "placenames/search.html", {
        "title": _("Search names"),
        "q": query, "page": page, "counties": _counties_of(request.user), "county": county,
        "kinds": PlaceKind.objects.all(), "kind": kind, "status": status,
        "statuses": [*PlaceStatus.choices, (ALL_STATUSES, _("all states"))], "query": params.urlencode()})


@login_required
@require_GET
def place_suggest(request):
    """The autocomplete of the application form: names in use in the user's regions matching ``q``."""
    query = request.GET.get("q", "").strip()
    rows = search_places(query, queryset=services.visible_places(request.user), limit=12) if query else []
    return JsonResponse({"results": [
        {"uuid": str(p.uuid), "name": p.name, "label": _label(p)} for p in rows]})


@login_required
@require_GET
def place_detail(request, uuid):
    place = services.get_place(request.user, uuid)
    on = _parse_date(request.GET.get("on"), "on")
    return render(request, "placenames/place.html", {
        "title": place.name, "place": place, "names": place.names.order_by("valid_from"), "on": on,
        "name_on": place.name_on(on) if on else None,
        "applications": services.visible_applications(request.user).filter(place=place),
        "can_apply": has_role(request.user, Role.OFFICER) and can_act_in(request.user, place.area),
        "photos": place.photos.all(),
        "map_data": _map_data(place.name, place.geom, kind_code=place.kind.code),
    })


# --- drafting ----------------------------------------------------------------------------------------------


def _form_data(form: ApplicationForm) -> dict:
    data = dict(form.cleaned_data)
    data["kind"] = data["kind"].code if data.get("kind") else None
    data["place"] = str(data["place"]) if data.get("place") else None
    return data


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    if not has_role(request.user, Role.OFFICER):
        raise PermissionDenied(_("Only place-name officers can draft an application."), code="role_required")
    initial = {"type": request.GET.get("type", ApplicationType.NAMING), "place": request.GET.get("place")}
    form = ApplicationForm(request.POST or None, initial=initial)
    chosen = request.POST.get("place") if request.method == "POST" else initial["place"]
    return _draft_form(request, form, lambda data: services.create_application(request.user, **data),
                       title=_("New application"), application=None,
                       place_name=_place_name(request.user, chosen))


def _draft_form(request, form: ApplicationForm, save, *, title, **context):
    """The draft form's page: a valid POST is saved (``save`` takes the form's data and gives the application) and
    leads to the application; a refusal shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            app = save(_form_data(form))
        except DimingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("placenames:application", pk=app.pk)
    return render(request, "placenames/application_form.html", {"title": title, "form": form, **context})


def _place_name(user, uuid) -> str:
    if not uuid:
        return ""
    try:
        place = services.get_place(user, uuid)
    except DimingError:
        return ""
    return _label(place)


def _label(place) -> str:
    return _("%(name)s (%(kind)s, %(area)s)") % {"name": place.name, "kind": place.kind.name, "area": place.area.name}


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    app = services.get_application(request.user, pk)
    initial = {name: getattr(app, name) for name in services.EDITABLE_FIELDS}
    initial.update({"type": app.type, "kind": app.kind, "place": app.place_id, "geom": app.geom.geojson,
                    "pinyin": app.pinyin if app.pinyin_overridden else ""})
    if (app.specific, app.generic) == split_name(app.proposed_name):
        # the split was made from the name, as the field says when left empty: left empty, a changed name is split
        # again (before, the old split stayed and the changed name was refused as not matching it)
        initial.update(specific="", generic="")
    form = ApplicationForm(request.POST or None, initial=initial)
    if app.type == ApplicationType.CANCELLATION:
        form.fields["proposed_name"].label = _("Name to be cancelled")

    def save(data):
        data.pop("type", None)
        data.pop("place", None)
        services.update_draft(request.user, app.pk, version=request.POST.get("version"), **data)
        return app

    return _draft_form(request, form, save, title=_("Edit draft"), application=app)


# --- the application page ----------------------------------------------------------------------------------


def _default_value(app, field: str) -> str:
    county = app.area.ancestor_at(Level.COUNTY)
    city = app.area.ancestor_at(Level.CITY)
    defaults = {
        "consultation_days": str(services.setting("PLACENAMES_CONSULTATION_DAYS", 7)),
        "approving_authority": people_government(county.name) if county else "",
        "filed_with": people_government(city.name) if city else "",
    }
    return defaults.get(field, "")


def _action_forms(user, app, kept: dict | None = None) -> list[dict]:
    """The decisions the user may take, each a form; ``kept`` is the refused one's values, shown again."""
    out = []
    for step in workflow.actions_from(app.state):
        if not has_role(user, *step.roles) or not can_act_in(user, app.area) \
                or not services.may_take(user, app, step.action):
            continue
        names = list(dict.fromkeys([*step.required, *step.optional, "reason"]))
        refused = kept is not None and kept["form"] == ("act", step.action)
        fields = [{"name": n, "label": FIELD_LABELS.get(n, n), "required": n in step.required,
                   "long": n in LONG_FIELDS,
                   "value": kept["values"].get(n, "") if refused else _default_value(app, n),
                   "type": "number" if n == "consultation_days" else "text",
                   # the browser checks the range before sending (in the page's words: config/static/js/form_checks.js)
                   "range": (1, services.MAX_CONSULTATION_DAYS) if n == "consultation_days" else None} for n in names]
        out.append({"action": step.action, "label": step.label, "fields": fields, "danger": step.danger})
    return sorted(out, key=lambda a: a["danger"])  # the way forward first, returns and rejections after


def _findings(app) -> list[dict]:
    return [{"finding": f, "explanation": EXPLANATIONS.get(f.code, ""),
             "places": f.evidence.get("places", []), "applications": f.evidence.get("applications", [])}
            for f in app.findings.all()]


@login_required
@require_GET
def application_evidence(request, pk, event_id):
    """An event's evidence, downloaded by a reader who may see the application (core.uploads.attachment)."""
    event = services.evidence_of(request.user, pk, event_id)
    return uploads.attachment(event.evidence, f"{pk}-{event.action}{PurePath(event.evidence.name).suffix}")


# How the list under an application's map names each place's likeness to the proposed name (its colour on the map).
NEARBY_RELATIONS = {"same_name": gettext_lazy("same name"), "homophone": gettext_lazy("same sound"),
                    "similar": gettext_lazy("similar name")}


def _nearby(map_data: dict) -> list[dict]:
    """The places of the map other than the proposal, nearest first, as the list under the map names them."""
    return [{**f["properties"], "relation": NEARBY_RELATIONS[f["properties"]["role"]]}
            for f in map_data["features"] if f["properties"]["role"] != "proposed"]


@login_required
@require_GET
def application_detail(request, pk):
    return _application_page(request, services.get_application(request.user, pk))


def _application_page(request, app, kept: dict | None = None):
    """The application's page; ``kept`` ({"form", "values"}) is a refused form shown again as it was sent (400)."""
    is_officer = has_role(request.user, Role.OFFICER) and can_act_in(request.user, app.area)
    # The map's data and the list of its places come with the page: a list filled in after the page had loaded moved
    # the decision buttons below it under the officer's pointer.
    map_data = application_geojson(app)
    return render(request, "placenames/application.html", {
        "map_data": map_data, "nearby": _nearby(map_data),
        "app": app, "findings": _findings(app), "actions": _action_forms(request.user, app, kept),
        "events": app.events.select_related("actor"), "objections": app.objections.all(),
        "can_justify": is_officer and app.state == ApplicationState.SUBMITTED,
        "can_edit": is_officer and app.state == ApplicationState.DRAFT,
        "can_answer": is_officer,
        "public_url": reverse("placenames:public", args=[app.public_token]),
        "today": services.today(),
        "kept_justification": kept["form"][1] if kept and kept["form"][0] == "justify" else None,
        "kept_answer": kept["form"][1] if kept and kept["form"][0] == "answer" else None,
        "kept_values": kept["values"] if kept else {},
    }, status=400 if kept else 200)


def _act(request, pk, call, success, form: tuple):
    """Runs an action on the application and says on its page how it went (words, never codes). A refused one
    comes back on the page with what was typed in its ``form`` (("act", action), ("justify", finding id), ...)."""
    try:
        result = call()
    except DimingError as error:
        messages.error(request, str(error))
        return _application_page(request, services.get_application(request.user, pk),
                                 kept={"form": form, "values": request.POST})
    messages.success(request, success(result) if callable(success) else success)
    return redirect("placenames:application", pk=pk)


@login_required
@require_POST
def application_act(request, pk, action):
    data = {name: request.POST.get(name) for name in FIELD_LABELS if name in request.POST}
    return _act(request, pk, lambda: services.apply(
        request.user, pk, action, version=request.POST.get("version"), reason=request.POST.get("reason", ""),
        evidence=request.FILES.get("evidence"), data=data),
        lambda app: _("Done: %(label)s. The application is now: %(state)s.") % {
            "label": workflow.TRANSITIONS[action].label, "state": app.get_state_display()}, ("act", action))


@login_required
@require_POST
def justify(request, pk, finding_id):
    return _act(request, pk, lambda: services.justify(request.user, pk, finding_id,
                                                      version=request.POST.get("version"),
                                                      text=request.POST.get("justification", "")),
                _("Justification saved."), ("justify", finding_id))


@login_required
@require_POST
def answer_objection(request, pk, objection_id):
    return _act(request, pk, lambda: consultation.answer_objection(request.user, pk, objection_id,
                                                                   answer=request.POST.get("answer", "")),
                _("Answer saved."), ("answer", objection_id))


@login_required
@require_GET
def overdue(request):
    _require_application_role(request.user)
    today = services.today()
    rows = services.overdue_applications(request.user, today)
    items = []
    for app in rows:
        late = []
        if app.state == ApplicationState.APPROVED and app.filing_due_on and app.filing_due_on < today:
            late.append((_("filing"), app.filing_due_on, (today - app.filing_due_on).days))
        if app.announcement_due_on and app.announcement_due_on < today:
            late.append((_("announcement"), app.announcement_due_on, (today - app.announcement_due_on).days))
        items.append({"app": app, "late": late})
    return render(request, "placenames/overdue.html", {
        "title": _("Overdue filings and announcements"), "items": items, "today": today})


# --- announcement --------------------------------------------------------------------------------------------


def _announcement(request):
    _require_application_role(request.user)
    county = request.GET.get("county", "")
    since, until = _parse_date(request.GET.get("since"), "since"), _parse_date(request.GET.get("until"), "until")
    rows = announcements.announced_applications(services.visible_applications(request.user),
                                                county=county or None, since=since, until=until)
    county_area = AdminArea.objects.filter(code=county).first() if county else None
    title = (_("%(county)s place name announcement") % {"county": county_area.name} if county_area
             else _("Place name announcement"))
    return rows, title, {"county": county, "since": since, "until": until}


@login_required
@require_GET
def announcement(request):
    rows, title, filters = _announcement(request)
    return render(request, "placenames/announcement.html", {
        "rows": [announcements.row_of(app) for app in rows], "columns": announcements.COLUMNS, "title": title,
        "counties": _counties_of(request.user), **filters,
        "query": request.GET.urlencode()})


@login_required
@require_GET
def announcement_xlsx(request):
    rows, title, _filters = _announcement(request)
    response = HttpResponse(announcements.workbook(rows, title),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="announcement-{services.today():%Y%m%d}.xlsx"'
    return response


# --- public consultation (no login) ----------------------------------------------------------------------------


def _objection_rate() -> tuple[int, int]:
    return getattr(settings, "PLACENAMES_OBJECTION_RATE", (5, 3600))


@require_http_methods(["GET", "POST"])
def public_consultation(request, token):
    app = consultation.public_application(token)
    form = PublicObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit, window = _objection_rate()
        try:
            ratelimit.hit("objection", client_address(request), limit=limit, window_seconds=window)
            consultation.submit_objection(token, **form.cleaned_data)
        except ratelimit.TooManyRequests as error:
            form.add_error(None, str(error))
            return with_headers(render(request, "placenames/public.html", _public_context(app, form), status=429),
                                error)
        except DimingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your objection has been recorded and will be answered."))
            return redirect("placenames:public", token=token)
    return render(request, "placenames/public.html", _public_context(app, form))


def _map_data(name: str, geom, *, kind_code: str | None = None) -> dict:
    """One feature for the page's own map (placenames/maps.js draws it in the proposed colour); ``kind_code`` for a
    registered place, which the basemap's tiles hold too (the map leaves out their label of it)."""
    properties = {"role": "proposed", "name": name} | ({"kind_code": kind_code} if kind_code else {})
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": properties, "geometry": json.loads(geom.json)}]}


def _public_context(app, form) -> dict:
    today = services.today()
    return {"app": app, "form": form, "open": app.state == ApplicationState.CONSULTATION
            and not app.consultation_is_over(today),
            "answered": [o for o in app.objections.all() if o.is_answered],
            "map_data": _map_data(app.display_name, app.geom)}
