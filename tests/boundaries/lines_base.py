"""Builders for boundary line tests: the 鹿城-瓯海 county line, its markers, and an officer of each side."""

from __future__ import annotations

from django.contrib.gis.geos import Point

from accounts.roles import Role
from borders import lines
from boundaries.line_models import BoundaryLine
from tests.base import area, make_user

LUCHENG, OUHAI = "330302", "330304"


def officers():
    """(鹿城 officer, 瓯海 officer, the city's reviewer who oversees both, 泰顺 officer who is no side)."""
    return (make_user("lucheng_officer", Role.OFFICER, LUCHENG), make_user("ouhai_officer", Role.OFFICER, OUHAI),
            make_user("city_reviewer", Role.REVIEWER, "330300"), make_user("taishun_officer", Role.OFFICER, "330329"))


def county_line(actor) -> BoundaryLine:
    return lines.derive_line(actor, area(LUCHENG), area(OUHAI), name="鹿瓯线", agreement_number="温民〔2003〕12号")


def points_along(line: BoundaryLine, fractions) -> list[Point]:
    """Points on the line at these fractions of its first part's length, in the order given."""
    part = line.geom[0]
    out = []
    for f in fractions:
        p = part.interpolate_normalized(f)
        out.append(Point(p.x, p.y, srid=4490))
    return out


def line_with_markers(actor, fractions=(0.8, 0.2, 0.5)) -> BoundaryLine:
    line = county_line(actor)
    lines.register_markers(actor, line, [{"points": [p], "elevations": [12.5]} for p in points_along(line, fractions)])
    return line
