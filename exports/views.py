"""The export page: an officer picks profile, layer, area and encoding and downloads; below, the export log."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import ALL, area_prefixes, has_role, scope
from boundaries.models import AdminArea, Level
from core.params import BIGINT
from exports import services, sql
from exports.models import ExportLog
from exports.profiles import PROFILES
from exports.sources import Filters
from exports.writers import ENCODINGS
from gis.errors import InputError, PermissionDenied
from gis.layers import exportable_layers

LOG_ROWS = 50


def _area_choices(user):
    areas = scope(AdminArea.objects.filter(level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP]), user, "")
    choices = [("", _("all my regions"))]
    choices += [(a.code, ("　" if a.level == Level.TOWNSHIP else "") + f"{a.name} {a.code}")
                for a in areas.only("code", "name", "level")]
    return choices


class ExportForm(forms.Form):
    profile = forms.ChoiceField(label=_("format"))
    layer = forms.ChoiceField(label=_("layer"))
    area = forms.ChoiceField(label=_("area"), required=False)
    kind = forms.CharField(label=_("kinds (codes, comma-separated)"), required=False, max_length=200)
    status = forms.CharField(label=_("statuses (comma-separated, among the published ones)"), required=False,
                             max_length=200)
    encoding = forms.ChoiceField(label=_("encoding"), choices=[(k, v[0]) for k, v in ENCODINGS.items()])
    since = forms.IntegerField(label=_("only changes since transaction number"), required=False, min_value=0,
                               max_value=BIGINT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [(p.name, f"{p.title}（{p.crs}）") for p in PROFILES.values()]
        self.fields["layer"].choices = [(layer.name, f"{layer.title} ({layer.name})") for layer in exportable_layers()
                                        if not layer.roles or has_role(user, *layer.roles)]
        self.fields["area"].choices = _area_choices(user)

    def filters(self) -> Filters:
        data = self.cleaned_data
        area = data.get("area")
        prefixes = (AdminArea.objects.get(code=area).prefix,) if area else None
        return Filters(prefixes=prefixes, kinds=_codes(data["kind"]), statuses=_codes(data["status"]))


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.replace("，", ",").split(",") if code.strip())


def _require_exporter(user) -> None:
    if not services.may_export(user):
        raise PermissionDenied(_("Your role does not allow exports."), code="role_required")


def _log_entries(user):
    entries = ExportLog.objects.select_related("user", "consumer")
    if area_prefixes(user) is not ALL:
        entries = entries.filter(user=user)
    return entries[:LOG_ROWS]


@login_required
@require_GET
def index(request):
    _require_exporter(request.user)
    form = ExportForm(user=request.user, initial={"profile": "amap", "encoding": "utf-8"})
    return render(request, "exports/index.html", {
        "form": form, "entries": _log_entries(request.user), "latest_txid": sql.latest_txid(),
        "profiles": PROFILES.values(), "title": _("Exports"),
    })


@login_required
@require_POST
def download(request):
    _require_exporter(request.user)
    form = ExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "exports/index.html", {
            "form": form, "entries": _log_entries(request.user), "latest_txid": sql.latest_txid(),
            "profiles": PROFILES.values(), "title": _("Exports"),
        }, status=400)
    data = form.cleaned_data
    profile = PROFILES[data["profile"]]
    if data["encoding"] not in profile.encodings:
        raise InputError(f"{profile.title} 只支持编码：{', '.join(profile.encodings)}。", code="bad_encoding")
    workdir = Path(tempfile.mkdtemp(prefix="diming-export-"))
    try:
        stem = f"{data['layer']}-{profile.name}-{timezone.localtime():%Y%m%d-%H%M%S}"
        result = services.export_file(profile=profile.name, layer=data["layer"], out=workdir / (stem + profile.extension),
                                      filters=form.filters(), encoding=data["encoding"], since=data.get("since"),
                                      user=request.user, consumer=services.consumer_of(request.user))
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
    response["X-Export-Records"] = str(result.records)
    response["X-Export-Warnings"] = str(result.warnings.count)
    response["X-Export-Txid"] = str(result.txid)
    return response
