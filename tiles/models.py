"""The tile cache (瓦片缓存): rendered tiles kept in PostGIS next to the data they are drawn from.

Each row keeps the tile's envelope (EPSG:3857, widened by the tile buffer) and the tables it was drawn from, so the
triggers that tiles.sql installs on every layer table can delete, in the editing transaction, every cached tile
that covers a changed row's old or new geometry, at every zoom.
"""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db.models.functions import Now


class CachedTile(models.Model):
    layerset = models.CharField(max_length=200)  # "counties" or "counties,roads" as requested
    variant = models.CharField(max_length=40)  # "public", or a digest of what a signed-in viewer may see
    z = models.PositiveSmallIntegerField()
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    etag = models.CharField(max_length=40)
    data = models.BinaryField()
    data_gz = models.BinaryField(null=True)
    envelope = models.PolygonField(srid=3857)
    sources = ArrayField(models.CharField(max_length=63))  # the tables the tile was drawn from
    # Tables the layers only join (a road's kind, its area's code): any change there drops the tile, wherever it is.
    lookups = ArrayField(models.CharField(max_length=63), default=list, blank=True)
    created = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "tiles_tilecache"
        constraints = [
            models.UniqueConstraint(fields=["layerset", "variant", "z", "x", "y"], name="tiles_tilecache_key"),
        ]
        indexes = [GinIndex(fields=["lookups"], name="tiles_tilecache_lookups")]  # envelope: its spatial_index

    def __str__(self):
        return f"{self.layerset}/{self.z}/{self.x}/{self.y} ({self.variant})"
