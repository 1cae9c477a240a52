"""Bulk import from CSV (UTF-8 or GBK), XLSX and GeoPackage, with a report of every rejected row and why."""

import csv
import io
import json
import subprocess

import pytest
from django.core.management import CommandError, call_command

from audit.models import Action, Change
from doorplates.importing import import_doorplates
from doorplates.models import Doorplate, DoorplateImport
from gis.coords import wgs84_to_gcj02
from gis.errors import EncodingError
from tests.base import taishun_field_crew
from tests.doorplates.builders import lonlat_at, make_plate, make_road

pytestmark = pytest.mark.django_db

HEADER = ["道路", "区县", "门牌号", "幢", "单元", "室", "类型", "经度", "纬度", "状态", "安装日期"]


@pytest.fixture
def road(wenzhou_counties):
    return make_road("解放街")


def row(road, number, chainage, left=10.0, **extra):
    lon, lat = lonlat_at(road, chainage, left)
    values = {"道路": road.name, "区县": "鹿城区", "门牌号": number, "幢": "", "单元": "", "室": "", "类型": "门牌",
              "经度": f"{lon:.8f}", "纬度": f"{lat:.8f}", "状态": "已安装", "安装日期": "2023-05-01"}
    values.update(extra)
    return values


def write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def good_rows(road):
    return [row(road, "1", 10), row(road, "3号", 30), row(road, "2", 10, -10), row(road, "3号之一", 34),
            row(road, "5", 50, 12, 幢="2", 类型="楼牌")]


def test_a_gbk_file_is_read_and_imported(tmp_path, road):
    report = import_doorplates(write_csv(tmp_path / "plates.csv", good_rows(road), "gbk"))
    assert report.committed and report.created == 5 and report.problems == []
    assert any("GB18030" in note for note in report.notes)
    plate = Doorplate.objects.get(number=3, sub_number=1)
    assert plate.address.endswith("解放街3号之一")
    assert plate.address.startswith("浙江省温州市鹿城区")
    assert plate.installed_on.isoformat() == "2023-05-01" and plate.status == "installed"
    assert plate.token and plate.source == "import"
    assert Doorplate.objects.get(number=5).address.endswith("解放街5号2幢")


def test_a_gbk_file_declared_as_utf8_is_refused_with_a_hint(tmp_path, road):
    with pytest.raises(EncodingError) as error:
        import_doorplates(write_csv(tmp_path / "plates.csv", good_rows(road), "gbk"), encoding="utf-8")
    assert "GBK" in str(error.value)


def bad_rows(road, far_road):
    return [
        row(road, "7", 70),                                    # line 2: fine
        row(road, "abc", 80),                                  # line 3: not a number
        row(road, "9", 90, 经度="28.01", 纬度="120.65"),        # line 4: axes swapped
        row(road, "11", 110, 经度="116.40", 纬度="39.90"),      # line 5: Beijing
        row(road, "13", 130, 500.0),                           # line 6: 500 m from 解放街
        row(far_road, "15", 10),                               # line 7: this 人民路 is in 瑞安市, not 鹿城区
        row(road, "7", 72),                                    # line 8: repeats line 2
        row(road, "17", 170, 类型="户室牌"),                    # line 9: a room plate without a room
        row(road, "19", 190, 经度="abc"),                       # line 10: not a longitude
    ]


@pytest.fixture
def far_road(wenzhou_counties):
    return make_road("人民路", [(120.59, 27.80), (120.61, 27.80)], county="330381", kind="road")


def test_all_or_nothing_writes_nothing_and_reports_every_rejected_row(tmp_path, road, far_road):
    report = import_doorplates(write_csv(tmp_path / "plates.csv", bad_rows(road, far_road)))
    assert not report.committed and Doorplate.objects.count() == 0
    assert report.rejected_rows == [3, 4, 5, 6, 7, 8, 9, 10]
    reasons = {p.row: p.message for p in report.problems}
    assert "门牌号" in reasons[3]
    assert "写反" in reasons[4]
    assert "服务范围" in reasons[5]
    assert "500 米" in reasons[6]
    assert "瑞安市" in reasons[7] and "区县不符" in reasons[7]
    assert "第 2 行重复" in reasons[8]
    assert "户室牌" in reasons[9]
    assert "经度" in reasons[10]


def test_valid_rest_writes_the_valid_rows(tmp_path, road, far_road):
    report = import_doorplates(write_csv(tmp_path / "plates.csv", bad_rows(road, far_road)), commit="valid")
    assert report.committed and report.created == 1
    assert list(Doorplate.objects.values_list("number", flat=True)) == [7]


def test_a_road_that_does_not_exist_is_rejected(tmp_path, road):
    report = import_doorplates(write_csv(tmp_path / "plates.csv", [row(road, "1", 10, 道路="不存在路")]))
    assert "没有这条道路" in report.problems[0].message


def test_a_plate_already_registered_is_rejected(tmp_path, road):
    make_plate(road, 1, 10, 10)
    report = import_doorplates(write_csv(tmp_path / "plates.csv", good_rows(road)), commit="valid")
    assert report.rejected_rows == [2]
    assert "已存在" in report.problems[0].message
    assert report.created == 4


def test_an_import_is_one_audit_record_and_its_plates_point_to_it(tmp_path, road):
    import_doorplates(write_csv(tmp_path / "plates.csv", good_rows(road)))
    batch = DoorplateImport.objects.get()
    change = Change.objects.get()
    assert change.action == Action.IMPORT and change.after["created"] == 5
    assert change.area_code12.startswith("330302")
    assert Doorplate.objects.filter(batch=batch).count() == 5


def test_a_field_crew_imports_only_into_its_county(tmp_path, road):
    report = import_doorplates(write_csv(tmp_path / "plates.csv", good_rows(road)), actor=taishun_field_crew())
    assert report.created == 0
    assert all("管辖区域" in p.message for p in report.problems)


def test_coordinates_in_gcj02_are_moved_to_cgcs2000(tmp_path, road):
    rows = good_rows(road)[:1]
    lon, lat = float(rows[0]["经度"]), float(rows[0]["纬度"])
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    rows[0].update({"经度": f"{g_lon:.9f}", "纬度": f"{g_lat:.9f}"})
    import_doorplates(write_csv(tmp_path / "plates.csv", rows), crs="gcj02")
    plate = Doorplate.objects.get()
    assert plate.geom.x == pytest.approx(lon, abs=1e-7) and plate.geom.y == pytest.approx(lat, abs=1e-7)


def test_an_xlsx_file_imports(tmp_path, road):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for values in good_rows(road):
        sheet.append([float(values[h]) if h in ("经度", "纬度") else values[h] for h in HEADER])
    book.save(tmp_path / "plates.xlsx")
    report = import_doorplates(tmp_path / "plates.xlsx")
    assert report.created == 5, report.problems


def test_a_geopackage_imports_with_its_own_crs(tmp_path, road):
    features = [{"type": "Feature", "properties": {"road": v["道路"], "number": v["门牌号"], "building": v["幢"],
                                                   "plate_type": v["类型"]},
                 "geometry": {"type": "Point", "coordinates": [float(v["经度"]), float(v["纬度"])]}}
                for v in good_rows(road)]
    source = tmp_path / "plates.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    target = tmp_path / "plates.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4490", str(target), str(source)], check=True)
    report = import_doorplates(target, crs="EPSG:3857")  # the file's EPSG:4490 wins over the declared CRS
    assert report.created == 5, report.problems
    assert Doorplate.objects.get(number=5, plate_type="building").building == "2"


def test_the_command_lists_rejected_rows_and_refuses_all_or_nothing(tmp_path, road, far_road):
    path = write_csv(tmp_path / "plates.csv", bad_rows(road, far_road), "gbk")
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_doorplates", str(path), "--no-progress", stderr=err, stdout=io.StringIO())
    assert "第 3 行，number 列" in err.getvalue()
    out = io.StringIO()
    call_command("import_doorplates", str(path), "--commit", "valid", "--encoding", "gbk", "--no-progress",
                 stdout=out, stderr=io.StringIO())
    assert "新增门牌 1 块" in out.getvalue() and "内存峰值" in out.getvalue()


def test_a_large_load_into_a_smaller_registry_rebuilds_its_indexes(tmp_path, road, monkeypatch):
    from django.db import connection

    from doorplates import loading
    from doorplates.search import autocomplete
    from tests.base import lucheng_officer

    monkeypatch.setattr(loading, "REBUILD_INDEXES_AT", 1)  # what happens above 100,000 rows
    report = import_doorplates(write_csv(tmp_path / "plates.csv", good_rows(road)))
    assert report.created == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'doorplates_doorplate'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"doorplate_search_trgm", "doorplate_geom_3857_gist"} <= names
    assert [r["number"] for r in autocomplete("解放街3号之", lucheng_officer())] == ["3号之一"]


@pytest.mark.parametrize(("options", "said"), [({"encoding": "zzz"}, "所选文件编码不在列表中"),
                                              ({"commit": "1e309"}, "所选处理方式不在列表中"),
                                              ({"crs": "EPSG:2000"}, "EPSG:2000")])
def test_an_import_with_an_option_the_form_does_not_offer_is_refused_before_it_is_queued(client, tmp_path, road,
                                                                                       options, said):
    """Before, any encoding, coordinate system or commit value was queued (found by a crawl of the pages)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobs.models import Job
    from tests.base import lucheng_officer

    client.force_login(lucheng_officer())
    data = write_csv(tmp_path / "plates.csv", bad_rows(road, road), "utf-8").read_bytes()
    response = client.post("/doorplates/import/", {"file": SimpleUploadedFile("门牌.csv", data), "commit": "valid",
                                                   "encoding": "auto", "crs": "EPSG:4326", **options})
    assert response.status_code in (200, 400) and said in response.content.decode()
    assert not Job.objects.exists()


def test_an_officer_uploads_a_file_follows_the_job_and_reads_the_report(client, tmp_path, road, far_road):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobs.models import Job, JobStatus
    from tests.base import lucheng_officer, lucheng_reviewer

    data = write_csv(tmp_path / "plates.csv", bad_rows(road, far_road), "gbk").read_bytes()
    client.force_login(lucheng_officer())
    response = client.post("/doorplates/import/", {"file": SimpleUploadedFile("门牌.csv", data), "commit": "valid",
                                                   "encoding": "auto", "crs": "EPSG:4326"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.uuid}/"
    waiting = client.get(response["Location"]).content.decode()
    assert 'id="job-progress"' in waiting and job.status == JobStatus.QUEUED and Doorplate.objects.count() == 0

    call_command("run_jobs", "--once", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not job.input_file  # the upload is not kept
    html = client.get(response["Location"]).content.decode()
    assert html.count("<tr><td class=\"num\">") == 8  # one line per rejected row
    assert "GB18030" in html
    assert DoorplateImport.objects.get().file_name == "门牌.csv"
    assert Doorplate.objects.count() == 1
    client.force_login(lucheng_reviewer())
    assert client.get("/doorplates/import/").status_code == 403
    assert client.get(response["Location"]).status_code == 404  # another user's job


def test_of_several_roads_of_that_name_each_plate_takes_the_nearest_in_its_county(tmp_path, road, far_road):
    north = make_road("人民路", [(120.645, 28.020), (120.665, 28.020)])  # 鹿城区, 550 m north of the next
    south = make_road("人民路")  # 鹿城区
    rows = [row(north, "1", 100), row(south, "3", 100), row(far_road, "5", 100, 区县="瑞安市"), row(road, "7", 100),
            row(south, "9", 300, -10), row(north, "11", 300, -10), row(far_road, "13", 300)]
    report = import_doorplates(write_csv(tmp_path / "plates.csv", rows), commit="valid")
    assert report.rejected_rows == [8]  # 人民路 in 瑞安市, given as 鹿城区
    assert "瑞安市" in report.problems[0].message
    roads = dict(Doorplate.objects.values_list("number", "road_id"))
    assert roads == {1: north.uuid, 3: south.uuid, 5: far_road.uuid, 7: road.uuid, 9: south.uuid, 11: north.uuid}
