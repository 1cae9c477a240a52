"""Bulk place-name loading: the row-by-row report in the file's own column names (bad category, bad geometry,
duplicates), GBK files, all-or-valid, census fields kept, XLSX and GeoPackage, the command and the upload job."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from boundaries.importing import ImportReport
from placenames.bulk import import_places
from placenames.models import CensusRecord, CheckFlag, Place, PlaceImport
from tests.base import lucheng_officer, ruian_officer
from tests.registry.builders import HEADER, RUIAN_POINT, ensure_categories, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The report's words in English (its column names stay the file's own, Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def counties(wenzhou_counties):
    ensure_categories()
    return wenzhou_counties


def messages(report: ImportReport) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list] = {}
    for p in report.problems:
        out.setdefault(p.row, []).append((p.column, p.message))
    return out


def test_a_gbk_file_with_bad_rows_loads_nothing_and_names_each_row_and_column(counties, tmp_path):
    rows = [row("解放路"), row("解放路"), row("月光桥", category="9999"), row("王家村", category="222", 经度="abc"),
            row("龙湾大厦", category="26", 纬度="128.3"), row("东门桥", category="2361", dx=0.9, dy=0.85),
            row("江心屿", category="115", 区县="火星县")]
    report = import_places(write_csv(tmp_path / "names.csv", rows, "gbk"))
    problems = messages(report)
    assert report.total == 7 and not report.committed and Place.objects.count() == 0
    assert any("GB18030" in n for n in report.notes)
    assert problems[3][0][0] == "名称" and "earlier in the file" in problems[3][0][1]
    assert problems[4][0][0] == "类别代码" and "unknown place-name category" in problems[4][0][1]
    assert problems[5][0][0] == "经度" and "bad geometry" in problems[5][0][1]
    assert problems[6][0][0] == "经度" and "128.3" in problems[6][0][1]
    assert "outside every county" in problems[7][0][1]
    assert problems[8][0] == ("区县", "unknown county")
    assert set(problems) == {3, 4, 5, 6, 7, 8}


def test_valid_rows_load_with_their_census_fields_and_a_second_load_is_refused_as_registered(counties, tmp_path):
    rows = [row("解放路", **{"别名/曾用名": "旧解放街"}), row("王家村", category="222", dx=0.01), row("瓯江路", 几何="")]
    path = write_csv(tmp_path / "names.csv", rows)
    report = import_places(path, commit="valid", actor=lucheng_officer(), file_name="鹿城.csv")
    assert report.committed and report.created == 2, report.problems
    assert messages(report)[4] == [("经度", "a 道路街巷 is drawn as line")]  # a road given as a point
    road = Place.objects.get(name="解放路")
    assert road.pinyin == "Jiefang Lu" and road.kind.code == "road" and road.area.code == "330302"
    census = CensusRecord.objects.get(place=road)
    assert (census.category.code, census.aliases, census.history, census.source, census.registrar) == (
        "2351", "旧解放街", "1984年地名普查时定名", "第二次全国地名普查", "张三")
    assert road.names.get().meaning == "以姓氏得名"
    assert PlaceImport.objects.get().file_name == "鹿城.csv"
    again = import_places(path, commit="valid")
    assert again.created == 0
    assert [m for _c, m in messages(again)[2] + messages(again)[3]] == [
        "this name is already registered in the county for this kind of place"] * 2


def test_an_officer_loads_only_in_their_county(counties, tmp_path):
    report = import_places(write_csv(tmp_path / "a.csv", [row("安阳路", county="瑞安市")]), actor=lucheng_officer())
    assert messages(report)[2] == [("区县", "outside the areas you work in")]
    # 瑞安's officer loads it: the point lies in 鹿城, so it is loaded for 瑞安 and flagged for checking
    assert import_places(write_csv(tmp_path / "b.csv", [row("安阳路", county="瑞安市")]), actor=ruian_officer()).committed
    assert CheckFlag.objects.get().code == "far_from_area"


def test_an_xlsx_and_a_geopackage_load(counties, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    values = row("中山桥", category="2361")
    sheet.append([values.get(h, "") for h in HEADER])
    book.save(tmp_path / "names.xlsx")
    assert import_places(tmp_path / "names.xlsx").created == 1

    import subprocess

    csv_path = write_csv(tmp_path / "g.csv", [row("华盖山", category="134", 几何="POINT(120.66 28.02)")],
                         header=["名称", "类别代码", "区县", "几何"])
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(tmp_path / "g.gpkg"), str(csv_path), "-oo", "GEOM_POSSIBLE_NAMES=几何",
                    "-oo", "KEEP_GEOM_COLUMNS=NO", "-a_srs", "EPSG:4490", "-nln", "names"], check=True)
    report = import_places(tmp_path / "g.gpkg")
    assert report.created == 1, report.problems
    assert Place.objects.get(name="华盖山").geom.geom_type == "Point"


def test_the_command_fails_on_rejected_rows_and_loads_with_commit_valid(counties, tmp_path):
    path = write_csv(tmp_path / "c.csv", [row("解放路"), row("人民路", category="0000")])
    with pytest.raises(CommandError):
        call_command("import_places", str(path))
    call_command("import_places", str(path), "--commit", "valid")
    assert list(Place.objects.values_list("name", flat=True)) == ["解放路"]


def test_the_rules_flag_homophones_far_geometries_wrong_pinyin_and_unfit_generics(counties, tmp_path):
    rows = [row("解放路"), row("介放路", dy=0.002), row("远山路", county="瑞安市", dy=0.004),
            row("人民路", 汉语拼音="Renmin Jie", dy=0.006), row("光明大厦", category="2351", dy=0.008)]
    report = import_places(write_csv(tmp_path / "f.csv", rows))
    assert report.committed, report.problems
    flags = {(f.place.name, f.code) for f in CheckFlag.objects.select_related("place")}
    assert flags == {("解放路", "homophone"), ("介放路", "homophone"), ("远山路", "far_from_area"),
                     ("人民路", "pinyin_mismatch"), ("光明大厦", "generic_mismatch")}
    assert Place.objects.get(name="远山路").area.code == "330381"  # the declared county keeps the record


def test_the_upload_page_queues_a_job_whose_report_lists_rows(counties, tmp_path, client):
    from jobs.models import Job
    from jobs.services import run

    client.force_login(lucheng_officer())
    path = write_csv(tmp_path / "u.csv", [row("解放路"), row("错路", category="X")], "gbk")
    with open(path, "rb") as f:
        response = client.post("/placenames/import/", {"file": f, "commit": "valid", "encoding": "auto"})
    assert response.status_code == 302
    job = run(Job.objects.get())
    assert job.result["created"] == 1 and job.result["problems"][0]["column"] == "类别代码"
    page = client.get(response["Location"]).content.decode()
    assert "类别代码" in page and "rejected-rows" in page
    with open(path, "rb") as f:  # an option the form does not offer is refused, not taken as another
        assert client.post("/placenames/import/", {"file": f, "commit": "x"}).status_code == 400
    assert Job.objects.count() == 1
    assert client.post("/placenames/import/", {}).status_code == 400


def test_a_file_without_a_county_column_places_each_row_by_its_geometry_within_the_importer_s_areas(counties, tmp_path):
    """The columns the upload page asks for (name, category, longitude, latitude): each row's area is where its
    point lies, and a county's officer loads nothing that lies in another county."""
    header = ["名称", "类别代码", "经度", "纬度"]
    rows = [row("月湖小区", category="221"), row("安阳小区", category="221", at=RUIAN_POINT),
            row("瓯浦大厦", category="26", dy=0.002)]
    report = import_places(write_csv(tmp_path / "names.csv", rows, header=header), commit="valid",
                           actor=lucheng_officer())
    assert report.committed and report.created == 2, report.problems
    assert messages(report) == {3: [("经度", "outside the areas you work in")]}
    assert {p.name: p.area.code12[:6] for p in Place.objects.select_related("area")} == {
        "月湖小区": "330302", "瓯浦大厦": "330302"}
    # the city's officer (no county of their own) loads the other row where it lies
    city = import_places(write_csv(tmp_path / "ruian.csv", [rows[1]], header=header), actor=None)
    assert city.committed and Place.objects.get(name="安阳小区").area.code12.startswith("330381")


def test_a_row_of_the_wrong_shape_is_told_in_words_not_geometry_type_names(counties, tmp_path):
    """Before: "“道路街巷”的空间位置应为 line", with "Point" as the value."""
    with translation.override("zh-hans"):
        report = import_places(write_csv(tmp_path / "names.csv", [row("瓯江路", 几何="")]))
        [problem] = report.problems
        assert (problem.value, str(problem.message)) == ("点", "“道路街巷”的空间位置应为 线")
