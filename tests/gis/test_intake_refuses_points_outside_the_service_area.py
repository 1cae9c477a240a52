"""The service area is Wenzhou plus a margin by default, DIMING_SERVICE_AREA when set, or the caller's."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from gis.errors import OutsideServiceAreaError
from gis.intake import intake_geometry, intake_point


def test_beijing_is_outside_the_default_area():
    with pytest.raises(OutsideServiceAreaError) as caught:
        intake_point(116.4, 39.9, crs=4326, field="location")
    error = caught.value
    assert error.code == "outside_service_area"
    assert str(error.message) == "坐标 (116.4, 39.9) 不在服务范围内（经度 119.3–121.6，纬度 26.7–28.9）"
    assert error.where == {"coordinate": [116.4, 39.9], "field": "location"}


def test_a_line_leaving_the_area_names_the_first_vertex_outside():
    line = {"type": "LineString", "coordinates": [[120.7, 28.0], [121.0, 28.5], [122.0, 29.0]]}
    with pytest.raises(OutsideServiceAreaError) as caught:
        intake_geometry(line)
    assert caught.value.where == {"vertex": 2, "coordinate": [122.0, 29.0]}


def test_the_default_area_is_wenzhou_with_a_margin(settings):
    assert settings.DIMING_SERVICE_AREA == (119.3, 26.7, 121.6, 28.9)
    assert intake_point(119.35, 26.75, crs=4490).geometry.srid == 4490


@override_settings(DIMING_SERVICE_AREA=(116.0, 39.5, 117.0, 40.5))
def test_the_area_is_read_from_settings_at_call_time():
    assert intake_point(116.4, 39.9, crs=4326).geometry.coords == (116.4, 39.9)
    with pytest.raises(OutsideServiceAreaError):
        intake_point(120.7, 28.0, crs=4326)


def test_the_caller_can_pass_an_area():
    assert intake_point(116.4, 39.9, crs=4326, service_area=(116, 39, 117, 41)).geometry.coords == (116.4, 39.9)


@override_settings(DIMING_SERVICE_AREA=(121.0, 28.0, 120.0, 29.0))
def test_a_misconfigured_area_names_the_setting():
    with pytest.raises(ImproperlyConfigured, match="DIMING_SERVICE_AREA"):
        intake_point(120.7, 28.0, crs=4326)
