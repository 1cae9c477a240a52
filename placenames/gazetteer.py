"""The public gazetteer (地名录): a page per standard name in use (含义, 来历, 历史沿革, pinyin, map, photos, signs) and
search by characters, pinyin and initials, in the public layout. A sign's QR code lands here and lets anyone
report it damaged. Nothing internal is shown: no registrar, checking flags, versions or staff links.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit, uploads
from core.clientip import client_address
from core.errors import with_headers
from gis.errors import DimingError
from placenames import place_photos, services, signs
from placenames.models import CensusRecord, Place, PlacePhoto, PlaceStatus, SignPhoto, SignState
from placenames.search import search_places

REPORTS_PER_WINDOW = 5
REPORT_WINDOW_S = 600
MAP_TOLERANCE_DEG = 0.00002  # about 2 m: a page does not need every surveyed vertex


def _public(response):
    response["X-Robots-Tag"] = "noarchive"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:50]
    results = search_places(query, limit=50) if query else []
    return _public(render(request, "placenames/gazetteer/search.html", {
        "title": _("Gazetteer"), "q": query, "results": results}))


def _place(uuid) -> Place:
    place = (Place.objects.filter(pk=uuid, status=PlaceStatus.IN_USE).select_related("kind", "area")
             .defer("geom_3857", "area__geom_3857").first())
    if place is None:
        raise Http404
    return place


def _page(request, place: Place, *, sign=None, form_errors=None, status=200):
    name = place.names.current().first()
    census = CensusRecord.objects.filter(place=place).select_related("category").first()
    standing = place.signs.exclude(state=SignState.REMOVED).order_by("type", "installed_on")
    sign_photos = SignPhoto.objects.filter(sign__in=standing).order_by("-at")[:12]
    photos = [(reverse("placenames:place_photo", args=[p.pk]), p.caption) for p in place_photos.public_photos(place)]
    photos += [(reverse("placenames:sign_photo", args=[p.pk]), p.caption) for p in sign_photos]
    shape = place.geom.simplify(MAP_TOLERANCE_DEG, preserve_topology=True)
    centre = place.geom.point_on_surface
    map_data = {"lon": round(centre.x, 6), "lat": round(centre.y, 6), "geometry": json.loads(shape.geojson),
                "signs": [[round(s.geom.x, 6), round(s.geom.y, 6)] for s in standing]}
    return _public(render(request, "placenames/gazetteer/place.html", {
        "title": place.name, "place": place, "name": name, "census": census, "signs": standing, "photos": photos,
        "category": census.category if census else None, "map_data": map_data, "reported_sign": sign,
        "form_errors": form_errors or [], "report_text": request.POST.get("text", "")[:1000]}, status=status))


@require_GET
def place_page(request, uuid):
    return _page(request, _place(uuid))


@require_http_methods(["GET", "POST"])
def sign_landing(request, token):
    """Where a sign's QR code leads: its name's public page, with a form to report the sign damaged."""
    sign = signs.public_sign(token)
    if sign is None:
        raise Http404
    if request.method == "POST":
        try:
            ratelimit.hit("sign_report", client_address(request), limit=REPORTS_PER_WINDOW,
                          window_seconds=REPORT_WINDOW_S)
            signs.report_damage(token, text=request.POST.get("text", ""), contact=request.POST.get("contact", ""))
        except DimingError as error:
            return with_headers(_page(request, sign.place, sign=sign, form_errors=[str(error)],
                                      status=error.http_status), error)
        messages.success(request, _("Thank you: the report was passed to the crews who keep the signs."))
        return redirect("placenames:sign_landing", token=token)
    return _page(request, sign.place, sign=sign)


@require_GET
def place_photo(request, photo_id: int):
    """A place's photo: anyone's while the place is in use (its public page shows it), else only for an officer who
    may see the place (its office page shows it)."""
    photo = PlacePhoto.objects.filter(pk=photo_id).select_related("place").first()
    if photo is None:
        raise Http404
    public = photo.place.status == PlaceStatus.IN_USE
    if not public:
        if not request.user.is_authenticated:
            raise Http404
        services.get_place(request.user, photo.place_id)  # NotFound outside the user's regions
    response = uploads.attachment(photo.file)
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-cache"
    return response


@require_GET
def sign_photo(request, photo_id: int):
    photo = (SignPhoto.objects.filter(pk=photo_id, sign__place__status=PlaceStatus.IN_USE)
             .exclude(sign__state=SignState.REMOVED).first())
    if photo is None:
        raise Http404
    response = uploads.attachment(photo.file)
    response["Cache-Control"] = "public, max-age=3600"
    return response
