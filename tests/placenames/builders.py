"""Builders for place-name tests: places with their names, and applications walked to a given state."""

from __future__ import annotations

import datetime as dt
import importlib

from django.contrib.gis.geos import LineString, Point

from boundaries.models import AdminArea
from placenames import services
from placenames.models import Application, ApplicationState, Place, PlaceKind, PlaceName, PlaceStatus
from placenames.pinyin import initials_key, pinyin_key, romanize, split_name
from tests.base import LUCHENG_POINT, RUIAN_POINT


def ensure_seed_data() -> None:
    """Restores what the data migrations seed (kinds, rule word lists): a transactional test before this one
    flushed the database."""
    from django.apps import apps

    if not PlaceKind.objects.exists():
        importlib.import_module("placenames.migrations.0002_place_kinds").create_kinds(apps, None)
        importlib.import_module("placenames.migrations.0004_naming_words").seed(apps, None)


SEATS = {"330302": LUCHENG_POINT, "330381": RUIAN_POINT}
_offsets: dict[str, int] = {}


def line_in(county: str = "330302", *, shift: int | None = None) -> LineString:
    """A short road (about 1 km) near the county seat; successive calls lie side by side."""
    if shift is None:
        shift = _offsets[county] = _offsets.get(county, 0) + 1
    lon, lat = SEATS[county]
    dy = 0.0008 * (shift % 12) - 0.004
    return LineString((lon - 0.005, lat + dy), (lon + 0.005, lat + dy + 0.0005), srid=4490)


def point_in(county: str = "330302") -> Point:
    lon, lat = SEATS[county]
    return Point(lon + 0.001, lat - 0.001, srid=4490)


def place(name: str, *, county: str = "330302", kind: str | None = None, geom=None,
          status: str = PlaceStatus.IN_USE, since: dt.date = dt.date(2010, 1, 1)) -> Place:
    """An existing place with one open name version since ``since``."""
    specific, generic = split_name(name)
    if kind is None:
        kind = {"路": "road", "街": "street", "巷": "lane", "大道": "avenue"}.get(generic, "road")
    kind_row = PlaceKind.objects.get(code=kind)
    geom = geom or (line_in(county) if "line" in kind_row.geometry_kinds else point_in(county))
    area = AdminArea.objects.get(code=county)
    created = Place.objects.create(kind=kind_row, geom=geom, area=area, status=status, name=name,
                                   pinyin=romanize(name), pinyin_key=pinyin_key(name),
                                   initials=initials_key(name))
    PlaceName.objects.create(place=created, specific=specific, generic=generic, full_name=name,
                             pinyin=created.pinyin, valid_from=since)
    return created


def draft(officer, name: str = "介放路", *, county: str = "330302", kind: str = "road", geom=None,
          **fields) -> Application:
    geom = geom or line_in(county)
    return services.create_application(officer, kind=kind, geom=geom.geojson, proposed_name=name,
                                       reason="新建道路需要命名", **fields)


# The actions that carry an application from draft to each state, with who takes them.
PATH = [
    ("submit", "officer", {}),
    ("pass_check", "reviewer", {}),
    ("record_review", "officer", {"expert_opinion": "专家组同意该名称。"}),
    ("open_consultation", "officer", {"consultation_days": 7}),
    ("close_consultation", "officer", {}),
    ("approve", "reviewer", {"approving_authority": "鹿城区人民政府", "approval_reference": "鹿政地〔2026〕1号"}),
    ("file", "officer", {"filed_with": "温州市民政局", "filing_reference": "温民备〔2026〕1号"}),
    ("announce", "officer", {"announcement_reference": "鹿城区地名公告〔2026〕1号"}),
]


def take(app: Application, user, action: str, **data) -> Application:
    app.refresh_from_db()
    return services.apply(user, app.pk, action, version=app.version, data=data)


def walk(app: Application, officer, reviewer, until: str) -> Application:
    """Takes the standard path until the application reaches ``until`` (justifying any warning on the way)."""
    for action, who, data in PATH:
        app.refresh_from_db()
        if app.state == until:
            return app
        if action == "pass_check":
            for finding in app.findings.filter(severity="warning", justification=""):
                services.justify(officer, app.pk, finding.pk, version=app.version, text="历史沿用，群众认可。")
                app.refresh_from_db()
        if action == "close_consultation":
            Application.objects.filter(pk=app.pk).update(
                consultation_ends_on=services.today() - dt.timedelta(days=1))
        app = take(app, officer if who == "officer" else reviewer, action, **data)
    app.refresh_from_db()
    assert app.state == until, app.state
    return app


STATES_IN_ORDER = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.CHECKED,
                   ApplicationState.REVIEWED, ApplicationState.CONSULTATION, ApplicationState.CONSULTED,
                   ApplicationState.APPROVED, ApplicationState.FILED, ApplicationState.ANNOUNCED]
