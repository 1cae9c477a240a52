"""A forgiving WKT reader for gis.intake: it turns WKT into GeoJSON-like nesting without judging the structure,
so that intake can report an unclosed ring or a missing coordinate with its part, ring and vertex, and a syntax
error with its character offset."""

from __future__ import annotations

import re

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gis.errors import GeometryError

GEOMETRY_TYPES = {name.upper(): name for name in
          ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")}


class WktReader:
    """WKT into GeoJSON-like nesting, kept loose so that _build reports structural faults with their place."""

    _TOKEN = re.compile(r"\s*(?:([-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|nan|inf(?:inity)?))"
                        r"(?![\w.])|([a-z]+)|([(),])|(\S))", re.IGNORECASE)

    def __init__(self, text: str):
        self.text = text
        self.tokens = [(m.lastindex, m.group(m.lastindex), m.start(m.lastindex))
                       for m in self._TOKEN.finditer(text) if m.lastindex]
        self.at = 0

    def parse(self) -> dict:
        kind = self._word()
        if kind.upper() not in GEOMETRY_TYPES:
            raise self._error(format_lazy(_("Unsupported geometry type {kind}"), kind=kind), code="unsupported_type")
        if self._peek()[0] == 2 and self._peek()[1].upper() in ("Z", "M", "ZM"):
            self.at += 1
        if self._peek()[0] == 2 and self._peek()[1].upper() == "EMPTY":
            self.at += 1
            coordinates = []
        else:
            coordinates = self._nested()
        if self.at < len(self.tokens):
            raise self._error(_("The WKT has extra text at its end"))
        kind = GEOMETRY_TYPES[kind.upper()]
        if kind == "Point" and coordinates:
            coordinates = coordinates[0]
        elif kind == "MultiPoint":
            coordinates = [c[0] if isinstance(c, list) and len(c) == 1 else c for c in coordinates]
        return {"type": kind, "coordinates": coordinates}

    def _peek(self) -> tuple:
        return self.tokens[self.at] if self.at < len(self.tokens) else (0, "", len(self.text))

    def _word(self) -> str:
        kind, value, _offset = self._peek()
        if kind != 2:
            raise self._error(_("WKT must start with a geometry type"))
        self.at += 1
        return value

    def _nested(self) -> list:
        if self._peek()[1] != "(":
            raise self._error(_("WKT expects \"(\" here"))
        self.at += 1
        items = []
        while True:
            items.append(self._nested() if self._peek()[1] == "(" else self._position())
            token = self._peek()[1]
            self.at += 1
            if token == ")":
                return items
            if token != ",":
                self.at -= 1
                raise self._error(_("WKT expects \",\" or \")\" here"))

    def _position(self) -> tuple:
        values = []
        while self._peek()[0] == 1:
            values.append(float(self._peek()[1]))
            self.at += 1
        if not values:
            raise self._error(_("WKT expects a coordinate number here"))
        return tuple(values)

    def _error(self, message, code: str = "unparseable") -> GeometryError:
        offset = self._peek()[2]
        return GeometryError(message, code=code,
                             where={"offset": offset, "near": self.text[max(offset - 15, 0):offset + 15]})
