"""Model fields the geometry models share."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform


def stored_transform(field_class: type[models.GeometryField], srid: int, *, null: bool = False,
                     source: str = "geom") -> models.GeneratedField:
    """A column PostgreSQL keeps equal to ``source`` transformed to ``srid`` (a stored generated column), to index
    and read without transforming on every query: the EPSG:3857 copy tiles and nearest-neighbour search read, the
    EPSG:4549 copy metric distances and buffers use."""
    output = field_class(srid=srid, null=True) if null else field_class(srid=srid)
    return models.GeneratedField(expression=Transform(source, srid), output_field=output, db_persist=True)
