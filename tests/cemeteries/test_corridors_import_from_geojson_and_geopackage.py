"""Corridors come from GeoJSON (read as JSON) or a GeoPackage (opened by its own driver only), through the same
intake as zones: a row-by-row report, the kind from Chinese words, the class and band width from their properties,
a polygon or a bad width refused; the graves in a saved corridor's band are tagged, and the page runs the import as
a background job."""

import json
import subprocess
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from cemeteries.models import Corridor, GraveTag
from cemeteries.zones import import_corridors
from gis.errors import InputError
from tests.base import lucheng_officer
from tests.cemeteries.builders import grave_at, known_geography, lonlat


def path(*xys):
    return {"type": "LineString", "coordinates": [list(lonlat(x, y)) for x, y in xys]}


FEATURES = [
    {"type": "Feature", "properties": {"名称": "甬台温高速", "类型": "高速公路", "编号": "G15"},
     "geometry": path((-1000, 0), (3000, 0))},
    {"type": "Feature", "properties": {"name": "104国道", "kind": "national", "buffer_m": "150"},
     "geometry": path((4000, -1000), (4000, 3000))},
    {"type": "Feature", "properties": {"name": "A field", "kind": "national"},
     "geometry": {"type": "Polygon", "coordinates": [[list(lonlat(0, 0)), list(lonlat(10, 0)), list(lonlat(10, 10)),
                                                      list(lonlat(0, 0))]]}},
    {"type": "Feature", "properties": {"name": "Canal", "kind": "canal"}, "geometry": path((0, 500), (10, 500))},
    {"type": "Feature", "properties": {"name": "Too wide", "kind": "river", "buffer_m": "9000"},
     "geometry": path((0, 900), (10, 900))},
]


class CorridorImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        known_geography()
        cls.officer = lucheng_officer()
        cls.near_expressway = grave_at(500, 150, cls.officer)  # 150 m from the expressway: in its 200 m band
        cls.near_national = grave_at(4120, 500, cls.officer)  # 120 m from the national road: in its own 150 m band

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def write(self, features, name="roads.geojson"):
        file = self.tmp / name
        file.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        return file

    def test_a_geojson_file_is_imported_row_by_row_and_the_graves_in_the_bands_are_tagged(self):
        report = import_corridors(self.write(FEATURES))

        assert [(r.row, r.ok) for r in report.rows] == [(1, True), (2, True), (3, False), (4, False), (5, False)]
        assert report.saved == 2 and report.what == "corridors"
        assert "canal" in report.rows[3].message and "9000" in report.rows[4].message
        expressway, national = Corridor.objects.get(name="甬台温高速"), Corridor.objects.get(name="104国道")
        assert (expressway.kind, expressway.road_class, expressway.band_m) == ("expressway", "G15", 200)
        assert (national.kind, national.buffer_m, national.source) == ("national", 150, "roads.geojson")
        assert GraveTag.objects.filter(grave=self.near_expressway, corridor=expressway, inside=True).exists()
        assert GraveTag.objects.filter(grave=self.near_national, corridor=national, inside=True).exists()

    def test_all_or_nothing_saves_nothing_when_a_row_is_refused(self):
        assert import_corridors(self.write(FEATURES), commit="all").saved == 0
        assert not Corridor.objects.exists()

    def test_a_geopackage_is_read_through_its_own_driver_and_a_disguised_file_is_refused(self):
        gpkg = self.tmp / "roads.gpkg"
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(self.write([FEATURES[0]], "one.geojson"))],
                       check=True, capture_output=True)
        report = import_corridors(gpkg, kind="provincial")
        assert report.saved == 1 and Corridor.objects.get().kind == "provincial"
        fake = self.tmp / "fake.gpkg"
        fake.write_text('{"type": "FeatureCollection", "features": []}')
        with self.assertRaises(InputError):
            import_corridors(fake)

    def test_the_command_prints_the_report(self):
        out = StringIO()
        call_command("import_corridors", str(self.write(FEATURES[:4])), stdout=out)
        assert "甬台温高速" in out.getvalue() and "canal" in out.getvalue()

    def test_the_page_queues_a_corridor_import_and_the_job_reports_it(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from jobs.models import Job
        from jobs.services import run
        from tests.base import administrator

        self.client.force_login(administrator())
        body = json.dumps({"type": "FeatureCollection", "features": FEATURES[:3]}).encode()
        queued = self.client.post("/cemeteries/zones/import/", {"file": SimpleUploadedFile("路网.geojson", body),
                                                                "what": "corridors", "commit": "valid"})
        assert queued.status_code == 302
        wrong_kind = self.client.post("/cemeteries/zones/import/", {
            "file": SimpleUploadedFile("路网.geojson", body), "what": "corridors", "kind": "forest"})
        assert wrong_kind.status_code == 400
        job = Job.objects.get(kind="cemeteries.import")
        run(job)
        job.refresh_from_db()
        assert job.result["saved"] == 2 and job.result["rejected"] == 1
        text = self.client.get(f"/jobs/{job.uuid}/").content.decode()
        assert "甬台温高速" in text and "路网.geojson" in text
        assert Corridor.objects.get(name="104国道").source == "路网.geojson"
