"""Zones come from GeoJSON (read as JSON) or a GeoPackage (opened by its own driver only); a row-by-row report
tells which features were saved and why others were refused; the graves inside are tagged at once."""

import json
import subprocess
import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.gis.gdal import DataSource
from django.core.management import call_command
from django.test import TestCase

from cemeteries.models import GraveTag, Zone
from cemeteries.zones import import_zones
from gis.errors import InputError
from tests.base import lucheng_officer
from tests.cemeteries.builders import grave_at, known_geography, lonlat


def square(x0, y0, x1, y1):
    ring = [lonlat(x0, y0), lonlat(x1, y0), lonlat(x1, y1), lonlat(x0, y1), lonlat(x0, y0)]
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


FEATURES = [
    {"type": "Feature", "properties": {"名称": "上岙林地", "类型": "林地"}, "geometry": square(-100, -100, 100, 100)},
    {"type": "Feature", "properties": {"name": "Bad kind", "kind": "swamp"}, "geometry": square(0, 0, 10, 10)},
    {"type": "Feature", "properties": {"name": "No shape"}, "geometry": None},
    {"type": "Feature", "properties": {"name": "水源地", "kind": "water_source"},
     "geometry": {"type": "Polygon", "coordinates": [[[200, 100], [201, 100], [201, 101], [200, 100]]]}},
    {"type": "Feature", "properties": {"name": "领结", "kind": "farmland"},  # a bow tie: repaired with a note
     "geometry": {"type": "Polygon", "coordinates": [[list(lonlat(500, 500)), list(lonlat(700, 700)),
                                                      list(lonlat(700, 500)), list(lonlat(500, 700)),
                                                      list(lonlat(500, 500))]]}},
]


class ZoneImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        known_geography()
        cls.officer = lucheng_officer()
        cls.grave = grave_at(0, 0, cls.officer)

    def write(self, tmp, features, name="zones.geojson"):
        path = tmp / name
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        return path

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def test_a_geojson_file_is_imported_row_by_row_and_its_graves_are_tagged(self):
        report = import_zones(self.write(self.tmp, FEATURES))

        assert [(r.row, r.ok) for r in report.rows] == [(1, True), (2, False), (3, False), (4, False), (5, True)]
        assert report.saved == 2 and report.rejected == 3
        assert "swamp" in report.rows[1].message
        assert report.rows[4].notes  # the repair is told
        forest = Zone.objects.get(name="上岙林地")
        assert forest.kind == "forest" and forest.source == "zones.geojson"
        assert GraveTag.objects.filter(grave=self.grave, zone=forest, inside=True).exists()

    def test_all_or_nothing_saves_nothing_when_a_row_is_refused(self):
        report = import_zones(self.write(self.tmp, FEATURES), commit="all")
        assert report.saved == 0 and not Zone.objects.exists()

    def test_a_geopackage_is_read_through_its_own_driver(self):
        source = self.write(self.tmp, [FEATURES[0]], "one.geojson")
        gpkg = self.tmp / "zones.gpkg"
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(source)], check=True, capture_output=True)
        assert DataSource(str(gpkg)).layer_count == 1
        report = import_zones(gpkg, kind="heritage")
        assert report.saved == 1 and Zone.objects.get().kind == "heritage"

    def test_a_file_that_is_not_what_its_name_says_is_refused(self):
        fake = self.tmp / "zones.gpkg"
        fake.write_text('{"type": "FeatureCollection", "features": []}')
        with self.assertRaises(InputError):
            import_zones(fake)
        with self.assertRaises(InputError):
            import_zones(self.write(self.tmp, [], "zones.shp"))

    def test_the_command_prints_the_report(self):
        out = StringIO()
        call_command("import_zones", str(self.write(self.tmp, FEATURES[:2])), stdout=out)
        assert "1" in out.getvalue() and "swamp" in out.getvalue()

    def test_an_administrator_imports_zones_on_a_page_as_a_background_job_and_an_officer_may_not(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from jobs.models import Job
        from jobs.services import run
        from tests.base import administrator

        body = json.dumps({"type": "FeatureCollection", "features": FEATURES[:2]}).encode()
        self.client.force_login(self.officer)
        assert self.client.get("/cemeteries/zones/import/").status_code == 403
        self.client.force_login(administrator())
        queued = self.client.post("/cemeteries/zones/import/",
                                  {"file": SimpleUploadedFile("林地.geojson", body), "what": "zones",
                                   "commit": "valid"})
        job = Job.objects.get(kind="cemeteries.import")
        assert queued.status_code == 302 and queued["Location"] == f"/jobs/{job.uuid}/"
        assert not Zone.objects.exists()  # nothing done in the request

        run(job)

        text = self.client.get(f"/jobs/{job.uuid}/").content.decode()
        assert "上岙林地" in text and "swamp" in text and 'id="zone-report"' in text
        assert Zone.objects.get().source == "林地.geojson"
        refused = self.client.post("/cemeteries/zones/import/",
                                   {"file": SimpleUploadedFile("林地.shp", body), "what": "zones"})
        assert refused.status_code == 400 and 'id="import-error"' in refused.content.decode()
