"""The export page: an officer picks profile, layer, area and encoding and downloads; below, the export log."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.scoping import ALL, area_prefixes, has_role, scope
from boundaries.models import AdminArea, Level
from core.params import BIGINT
from exports import platforms as platform_accounts
from exports import services, sql
from exports.models import Consumer, ExportLog
from exports.profiles import PROFILES
from exports.sources import Filters, Source
from exports.writers import ENCODINGS
from gis.errors import DimingError, InputError, NotFound, PermissionDenied
from gis.layers import exportable_layers
from gis.layers import get as layer_named

LOG_ROWS = 50


def _area_choices(user):
    areas = scope(AdminArea.objects.filter(level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP]), user, "")
    choices = [("", _("all my regions"))]
    choices += [(a.code, ("\u2003" if a.level == Level.TOWNSHIP else "") + f"{a.name} {a.code}")  # an em space
                for a in areas.only("code", "name", "level")]
    return choices


def _profile_label(profile) -> str:
    title = str(profile.title)
    return title if profile.crs in title else _("%(title)s (%(crs)s)") % {"title": title, "crs": profile.crs}


def _choices(source: Source, option: str, lookup: str | None) -> list[tuple[str, str]]:
    """What an officer may pick for the layer's kinds or statuses: the owning app's list (Layer.extra["exports"])
    when it gives one, else the field's choices or the rows of the table it refers to."""
    if option in source.options:
        given = source.options[option]
        return [(str(v), str(label)) for v, label in (given() if callable(given) else given)]
    if lookup is None:
        return []
    field = source.model._meta.get_field(lookup.split("__")[0])
    if field.is_relation:
        key = lookup.split("__")[1] if "__" in lookup else "pk"
        return [(str(getattr(row, key)), str(row)) for row in field.related_model.objects.all()[:100]]
    return [(str(v), str(label)) for v, label in field.choices or []]


def layer_filters(user) -> list[dict]:
    """Per layer the user may export (a platform: those of its grant): its title and the kinds and statuses to
    choose from."""
    out = []
    consumer = services.consumer_of(user)
    for layer in exportable_layers():
        if not services.may_read_layer(user, consumer, layer):
            continue
        source = Source.named(layer.name)
        statuses = _published(source, _choices(source, "status_choices", source.status_lookup))
        out.append({"name": layer.name, "title": layer.title,
                    "kinds": _choices(source, "kind_choices", source.kind_lookup),
                    "statuses": statuses if len(statuses) > 1 else []})  # one state is no choice
    return out


def _published(source: Source, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The statuses a layer publishes (doorplates: installed only). A status its filter excludes costs nothing:
    PostgreSQL sees status = 'installed' AND status = 'planned' is false without reading a row."""
    if not choices:
        return []
    rows = source.layer.queryset()
    return [(value, label) for value, label in choices
            if rows.filter(**{source.status_lookup: value}).exists()]


class ExportForm(forms.Form):
    profile = forms.ChoiceField(label=_("format"))
    layer = forms.ChoiceField(label=_("layer"))
    area = forms.ChoiceField(label=_("area"), required=False)
    kind = forms.MultipleChoiceField(label=_("kinds"), required=False, widget=forms.CheckboxSelectMultiple)
    status = forms.MultipleChoiceField(label=_("statuses"), required=False, widget=forms.CheckboxSelectMultiple)
    encoding = forms.ChoiceField(label=_("encoding"), choices=[(k, _(v[0])) for k, v in ENCODINGS.items()])
    since = forms.IntegerField(label=_("only changes since transaction number"), required=False, min_value=0,
                               max_value=BIGINT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.layers = layer_filters(user)
        self.fields["profile"].choices = [(p.name, _profile_label(p)) for p in PROFILES.values()]
        self.fields["layer"].choices = [(layer["name"], layer["title"]) for layer in self.layers]
        self.fields["area"].choices = _area_choices(user)
        self.fields["kind"].choices = list(dict.fromkeys(k for layer in self.layers for k in layer["kinds"]))
        self.fields["status"].choices = list(dict.fromkeys(s for layer in self.layers for s in layer["statuses"]))

    def clean(self):
        data = super().clean()
        layer = next((item for item in self.layers if item["name"] == data.get("layer")), None)
        if layer is not None:
            # The boxes of another layer may stay ticked when the page runs without script: they do not apply.
            data["kind"] = [k for k in data.get("kind", []) if k in dict(layer["kinds"])]
            data["status"] = [s for s in data.get("status", []) if s in dict(layer["statuses"])]
        return data

    def clean_since(self):
        since, latest = self.cleaned_data.get("since"), sql.latest_txid()
        if since is not None and since > latest:  # said in the form's words (the service says it as the API does)
            raise forms.ValidationError(_("Transaction %(since)s has not happened yet: the newest is %(latest)s. "
                                          "Changes after it would be skipped.") % {"since": since, "latest": latest})
        return since

    def filters(self) -> Filters:
        data = self.cleaned_data
        area = data.get("area")
        prefixes = (AdminArea.objects.get(code=area).prefix,) if area else None
        return Filters(prefixes=prefixes, kinds=tuple(data["kind"]), statuses=tuple(data["status"]))


def _require_exporter(user) -> None:
    if not services.may_export(user):
        raise PermissionDenied(_("Your role does not allow exports."), code="role_required")


def _log_entries(user):
    entries = ExportLog.objects.select_related("user", "consumer")
    if area_prefixes(user) is not ALL:
        entries = entries.filter(user=user)
    entries = list(entries[:LOG_ROWS])
    areas = dict(AdminArea.objects.filter(code__in={e.area_code for e in entries if e.area_code})
                 .values_list("code", "name"))
    for entry in entries:  # words, not codes
        profile, layer = PROFILES.get(entry.profile), layer_named(entry.layer) if entry.layer else None
        entry.profile_title = _profile_label(profile) if profile else entry.profile
        entry.layer_title = layer.title if layer else entry.layer
        entry.area_name = areas.get(entry.area_code, entry.area_code)
    return entries


def _page(request, form, *, status: int = 200):
    return render(request, "exports/index.html", {
        "form": form, "entries": _log_entries(request.user), "latest_txid": sql.latest_txid(),
        "profiles": PROFILES.values(), "title": _("Exports"), "is_admin": has_role(request.user, Role.ADMIN),
    }, status=status)


@login_required
@require_GET
def index(request):
    _require_exporter(request.user)
    return _page(request, ExportForm(user=request.user, initial={"profile": "amap", "encoding": "utf-8",
                                                                  "layer": "roads"}))


@login_required
@require_POST
def download(request):
    _require_exporter(request.user)
    form = ExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    profile = PROFILES[data["profile"]]
    if data["encoding"] not in profile.encodings:
        form.add_error("encoding", _("%(title)s takes only these encodings: %(encodings)s.")
                       % {"title": profile.title, "encodings": ", ".join(profile.encodings)})
        return _page(request, form, status=400)
    workdir = Path(tempfile.mkdtemp(prefix="diming-export-"))
    try:
        stem = f"{data['layer']}-{profile.name}-{timezone.localtime():%Y%m%d-%H%M%S}"
        try:
            result = services.export_file(
                profile=profile.name, layer=data["layer"], out=workdir / (stem + profile.extension),
                filters=form.filters(), encoding=data["encoding"], since=data.get("since"), user=request.user,
                consumer=services.consumer_of(request.user))
        except DimingError as error:  # said on the form, with what was chosen kept
            form.add_error(None, str(error))
            return _page(request, form, status=error.http_status)
        files = [*result.files, *([result.warnings_file] if result.warnings_file else [])]
        if len(files) == 1:
            target = files[0]
        else:
            target = workdir / f"{stem}.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in files:
                    archive.write(file, file.name)
        handle = target.open("rb")  # still readable after the directory is removed
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    response = FileResponse(handle, as_attachment=True, filename=target.name)
    if target.suffix in (".csv", ".geojson", ".ndjson", ".txt"):  # text: its encoding, or a client guesses Latin-1
        response["Content-Type"] = f"{response['Content-Type'].split(';')[0]}; charset={ENCODINGS[data['encoding']][1]}"
    response["X-Export-Records"] = str(result.records)
    response["X-Export-Warnings"] = str(result.warnings.count)
    response["X-Export-Txid"] = str(result.txid)
    return response


# --- platforms (平台接入): administrators register a platform and issue its token ---------------------------------


class PlatformForm(forms.Form):
    name = forms.CharField(label=_("Platform name"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. Amap")}))
    layers = forms.MultipleChoiceField(label=_("Layers it may read"), widget=forms.CheckboxSelectMultiple)
    areas = forms.ModelMultipleChoiceField(label=_("Region it may read"), to_field_name="code",
                                           queryset=AdminArea.objects.none(), widget=forms.CheckboxSelectMultiple)
    profile = forms.ChoiceField(label=_("Format (and coordinates of its change feed)"))
    requests_per_minute = forms.IntegerField(label=_("Requests per minute"), initial=60, min_value=1,
                                             max_value=6000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layers"].choices = [(layer.name, layer.title) for layer in exportable_layers()
                                         if not layer.roles]
        # The city and its counties (not the neighbouring areas drawn only for the boundary lines).
        self.fields["areas"].queryset = (AdminArea.objects.filter(
            Q(level=Level.COUNTY, parent__level=Level.CITY) | Q(level=Level.CITY, children__level=Level.COUNTY))
            .distinct().only("code", "name", "level").order_by("code"))
        self.fields["areas"].label_from_instance = lambda area: area.name
        self.fields["profile"].choices = [(p.name, _profile_label(p)) for p in PROFILES.values()
                                          if p.name in PLATFORM_PROFILES]


# The formats a platform's grant names: its coordinate system in the change feed (exports.api.DEFAULT_COORDS).
PLATFORM_PROFILES = ("amap", "baidu", "geojson", "shangtu")


def _require_administrator(user) -> None:
    if not has_role(user, Role.ADMIN):
        raise PermissionDenied(_("Only administrators register platforms."), code="role_required")


def _platform_rows():
    titles = {layer.name: layer.title for layer in exportable_layers()}
    rows = []
    for consumer in Consumer.objects.select_related("user").prefetch_related("areas").order_by("name"):
        tokens = ApiToken.objects.active().filter(user=consumer.user)
        profile = PROFILES.get(consumer.profile)
        rows.append({"consumer": consumer, "layers": _(", ").join(titles.get(n, n) for n in consumer.layers),
                     "areas": _(", ").join(a.name for a in consumer.areas.all()),
                     "profile": _profile_label(profile) if profile else "",
                     "tokens": [t.prefix for t in tokens]})
    return rows


def _platforms_page(request, form, *, token: str = "", registered=None, status: int = 200):
    response = render(request, "exports/platforms.html", {
        "form": form, "platforms": _platform_rows(), "token": token, "registered": registered,
        "title": _("Platforms")}, status=status)
    response["Cache-Control"] = "no-store"  # a page that shows a token once is never kept
    return response


@login_required
@require_http_methods(["GET", "POST"])
def platforms(request):
    """The administrators' page that registers a platform and issues its token (shown once)."""
    _require_administrator(request.user)
    form = PlatformForm(request.POST or None, initial={"profile": "amap"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consumer, token = platform_accounts.register(
                name=data["name"], layers=data["layers"], areas=list(data["areas"]), profile=data["profile"],
                requests_per_minute=data["requests_per_minute"], by=request.user)
        except InputError as error:
            form.add_error("name" if error.where.get("field") == "name" else None, str(error))
        else:
            return _platforms_page(request, PlatformForm(initial={"profile": "amap"}), token=token,
                                   registered=consumer, status=201)
    return _platforms_page(request, form, status=400 if form.errors else 200)


@login_required
@require_POST
def platform_token(request, pk):
    _require_administrator(request.user)
    consumer = Consumer.objects.filter(pk=pk).first()
    if consumer is None:
        raise NotFound(_("No such platform."), code="not_found", where={"platform": pk})
    token = platform_accounts.new_token(consumer, by=request.user)
    return _platforms_page(request, PlatformForm(initial={"profile": "amap"}), token=token, registered=consumer)
