"""The admin map widget writes GeoJSON in lon/lat degrees (EPSG:4326) and the form field stores it in CGCS2000
(EPSG:4490); GeoJSON in EPSG:3857 metres, what the OpenLayers widget used to post, still lands in the right place."""

import json

from django.contrib.gis import forms
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from pyproj import Transformer

from boundaries.widgets import OfflineMapWidget

LUCHENG = (120.655, 28.015)


class LocationForm(forms.Form):
    geom = forms.PointField(srid=4490, widget=OfflineMapWidget)


class BoundaryForm(forms.Form):
    geom = forms.MultiPolygonField(srid=4490, widget=OfflineMapWidget, required=False)


def rendered_value(form_class, geom):
    """What the page's textarea holds for the map script: the widget's serialized value."""
    widget = form_class.base_fields["geom"].widget
    return widget.get_context("geom", geom, {"id": "id_geom"})["serialized"]


def test_a_lon_lat_point_is_stored_in_cgcs2000_where_it_was_put():
    form = LocationForm(data={"geom": json.dumps({"type": "Point", "coordinates": LUCHENG})})

    assert form.is_valid(), form.errors
    point = form.cleaned_data["geom"]
    assert point.srid == 4490
    assert abs(point.x - LUCHENG[0]) < 1e-7 and abs(point.y - LUCHENG[1]) < 1e-7  # CGCS2000 ~ WGS84 at 1e-7 deg


def test_the_widget_shows_a_stored_point_as_lon_lat_geojson_for_the_map():
    value = json.loads(rendered_value(LocationForm, Point(*LUCHENG, srid=4490)))

    assert value["type"] == "Point"
    assert abs(value["coordinates"][0] - LUCHENG[0]) < 1e-7 and abs(value["coordinates"][1] - LUCHENG[1]) < 1e-7


def test_posting_back_an_untouched_boundary_is_no_change():
    lon, lat = LUCHENG
    ring = ((lon, lat), (lon + 0.01, lat), (lon + 0.01, lat + 0.01), (lon, lat))
    boundary = MultiPolygon(Polygon(ring), srid=4490)
    posted = rendered_value(BoundaryForm, boundary)
    form = BoundaryForm(initial={"geom": boundary}, data={"geom": posted})

    assert form.is_valid(), form.errors
    assert not form.has_changed()


def test_a_point_in_web_mercator_metres_from_the_old_widget_lands_in_the_same_place():
    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(*LUCHENG)
    form = LocationForm(data={"geom": json.dumps({"type": "Point", "coordinates": [x, y]})})

    assert form.is_valid(), form.errors
    point = form.cleaned_data["geom"]
    assert point.srid == 4490
    assert abs(point.x - LUCHENG[0]) < 1e-7 and abs(point.y - LUCHENG[1]) < 1e-7


def test_text_that_is_no_geometry_is_refused():
    form = LocationForm(data={"geom": "not a place"})

    assert not form.is_valid()
    assert "geom" in form.errors
