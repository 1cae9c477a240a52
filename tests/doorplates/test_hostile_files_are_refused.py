"""A hostile upload hurts nobody: a VRT dressed as GeoPackage, CSV or XLSX reads neither a local file nor a URL, a
NUL character or an overlong value is refused by row and column, an XLSX zip bomb is refused before it is
inflated, and no error shows where the server keeps its files."""

import io
import json
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from doorplates.importing import import_doorplates
from doorplates.models import Doorplate
from gis.errors import InputError
from jobs.models import Job, JobStatus
from tests.base import taishun_field_crew
from tests.hostile import SECRET, loopback_server, secret_file, vrt

pytestmark = pytest.mark.django_db


def _upload_and_run(client, name: str, data: bytes) -> Job:
    """What the finding did: a field-crew account's dry-run import, run by the worker."""
    client.force_login(taishun_field_crew())
    response = client.post("/doorplates/import/", {"file": SimpleUploadedFile(name, data), "commit": "all",
                                                   "encoding": "auto", "crs": "EPSG:4326", "dry_run": "on"})
    assert response.status_code == 302, response.content.decode()[:500]
    call_command("run_jobs", "--once", verbosity=0)
    job = Job.objects.get()
    job.page = client.get(f"/jobs/{job.uuid}/").content.decode()
    return job


def _everything_shown(job: Job) -> str:
    return json.dumps(job.result, ensure_ascii=False) + job.error + job.page


@pytest.mark.parametrize("suffix", [".gpkg", ".csv", ".xlsx"])
@pytest.mark.parametrize("target", ["local file", "loopback url"])
def test_a_vrt_dressed_as_an_import_file_reads_nothing_it_points_at(client, tmp_path, wenzhou_counties, suffix,
                                                                     target):
    with loopback_server() as (url, requests):
        if target == "local file":
            source, layer = f"CSV:{secret_file(tmp_path)}", "leak"
        else:
            source, layer = f"{url}/leak.geojson", "OGRGeoJSON"
        job = _upload_and_run(client, f"门牌{suffix}", vrt(source, layer).encode())
    assert requests == []
    assert job.status == JobStatus.FAILED
    shown = _everything_shown(job)
    assert SECRET not in shown and "/proc/" not in shown
    assert str(settings.MEDIA_ROOT) not in shown and str(tmp_path) not in shown
    assert f"门牌{suffix}" in job.error or suffix == ".csv"  # a CSV VRT is text without the needed columns
    assert Doorplate.objects.count() == 0


def test_the_command_refuses_a_vrt_dressed_as_a_geopackage(tmp_path, wenzhou_counties):
    with loopback_server() as (url, requests):
        path = tmp_path / "plates.gpkg"
        path.write_text(vrt(f"{url}/leak.geojson", "OGRGeoJSON"))
        with pytest.raises(CommandError) as error:
            call_command("import_doorplates", str(path), "--dry-run", "--no-progress", stdout=io.StringIO(),
                         stderr=io.StringIO())
    assert requests == [] and SECRET not in str(error.value)
    assert "plates.gpkg" in str(error.value)


def _geopackage(tmp_path):
    """A real GeoPackage of one plate, made by GDAL's own ogr2ogr from GeoJSON."""
    import subprocess

    from tests.hostile import LEAK_GEOJSON

    source = tmp_path / "plates.geojson"
    source.write_text(LEAK_GEOJSON.replace(SECRET, "解放街"))
    target = tmp_path / "plates.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4326", str(target), str(source), "-nln", "plates"],
                   check=True)
    return target


def test_a_geopackage_with_a_virtual_table_over_another_file_is_refused(tmp_path, wenzhou_counties):
    import sqlite3

    target = _geopackage(tmp_path)
    with sqlite3.connect(target) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', 'leak', 'leak', "
                   "0, ?)", (f"CREATE VIRTUAL TABLE leak USING VirtualOGR('CSV:{secret_file(tmp_path)}')",))
    with pytest.raises(InputError) as error:
        import_doorplates(target, dry_run=True, file_name="门牌.gpkg")
    assert error.value.code == "external_reference" and SECRET not in str(error.value)


def test_a_broken_geopackage_is_named_by_its_upload_name_not_its_path(client, tmp_path, wenzhou_counties):
    job = _upload_and_run(client, "门牌.gpkg", b"SQLite format 3\x00" + b"\x01" * 2000)
    assert job.status == JobStatus.FAILED and "门牌.gpkg" in job.error
    assert str(settings.MEDIA_ROOT) not in _everything_shown(job) and "/jobs/" not in job.error


def test_one_nul_byte_is_refused_by_row_and_column_and_the_job_result_is_stored(client, wenzhou_counties):
    data = "道路,门牌号,经度,纬度\n解放街,1,120.65,28.01\n解\x00放街,3,120.65,28.01\n".encode()
    job = _upload_and_run(client, "门牌.csv", data)
    assert job.status == JobStatus.FAILED
    assert job.result["error"]["code"] == "nul_character"
    assert job.result["error"]["where"] == {"row": 3, "column": "道路", "value": "解\\x00放街"}
    assert "第 3 行" in job.error and "道路" in job.error and "road" not in job.error  # the file's own header


def test_an_overlong_value_is_refused_and_the_report_keeps_an_excerpt(tmp_path, wenzhou_counties):
    path = tmp_path / "plates.csv"
    path.write_text("道路,门牌号,经度,纬度\n" + "解" * 50_000 + ",1,120.65,28.01\n")
    with pytest.raises(InputError) as error:
        import_doorplates(path, dry_run=True)
    assert error.value.code == "value_too_long" and error.value.where["row"] == 2
    assert len(json.dumps(error.value.as_dict(), ensure_ascii=False)) < 500


def _xlsx_with_shared_strings(path, shared_strings_bytes: int):
    """An XLSX from openpyxl whose shared strings hold one string of ``shared_strings_bytes`` characters,
    written to the zip in pieces (deflate shrinks it to a few hundred KB)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["道路", "门牌号", "经度", "纬度"])
    book.active.append(["解放街", "1", "120.65", "28.01"])
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item.filename))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"A" * (1 << 20)
            for _ in range(shared_strings_bytes >> 20):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return path


def test_an_xlsx_zip_bomb_is_refused_before_it_is_inflated(client, tmp_path, wenzhou_counties):
    path = _xlsx_with_shared_strings(tmp_path / "bomb.xlsx", 100 << 20)
    assert path.stat().st_size < 1 << 20
    job = _upload_and_run(client, "门牌.xlsx", path.read_bytes())
    assert job.status == JobStatus.FAILED and job.result["error"]["code"] == "too_large"
    assert len(json.dumps(job.result)) < 1000 and "门牌.xlsx" in job.error


def test_an_xlsx_cell_beyond_the_bound_is_refused_with_an_excerpt(tmp_path, wenzhou_counties):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["道路", "门牌号", "经度", "纬度"])
    book.active.append(["解" * 20_000, "1", "120.65", "28.01"])
    book.save(tmp_path / "plates.xlsx")
    with pytest.raises(InputError) as error:
        import_doorplates(tmp_path / "plates.xlsx", dry_run=True)
    assert error.value.code == "value_too_long" and error.value.where["column"] == "道路"
    assert len(error.value.where["value"]) <= 61

