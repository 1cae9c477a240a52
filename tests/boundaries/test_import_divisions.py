import pytest
from django.core.management import CommandError, call_command

from audit.models import Change
from boundaries.models import AdminArea
from boundaries.services import import_divisions

pytestmark = pytest.mark.django_db

GOOD = """code,name,level,parent_code
330300,温州市,city,330000
330302,鹿城区,county,330300
330302006,五马街道,township,330302
"""

BAD = """code,name,level,parent_code
330300,温州市,city,330000
330302,鹿城区,county,330300
33030X,错误区,county,330300
330399,无父区,county,330400
330302006,五马街道,township,330302
330302006,五马街道重复,township,330302
330304001,景山街道,township,330304
"""


def _write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "divisions.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_it_imports_a_clean_list_and_creates_the_province_from_the_gb2260_table(tmp_path):
    report = import_divisions(_write(tmp_path, GOOD))
    assert report.committed and not report.problems
    assert report.created == 4  # the province 330000 is created from the built-in table
    assert AdminArea.objects.get(code="330000").name == "浙江省"
    assert AdminArea.objects.get(code="330302006").parent.code == "330302"
    assert AdminArea.objects.get(code="330302006").code12 == "330302006000"
    assert Change.objects.filter(action="import").count() == 4


def test_it_reports_each_bad_row_by_line_and_imports_nothing_by_default(tmp_path):
    report = import_divisions(_write(tmp_path, BAD))
    assert not report.committed
    assert AdminArea.objects.count() == 0
    by_row = {p.row: p for p in report.problems}
    assert by_row[4].column == "code" and "33030X" in str(by_row[4])
    assert by_row[5].column == "parent_code" and "330300" in by_row[5].message  # 330399's parent must be 330300
    assert by_row[7].column == "code" and "第 6 行" in by_row[7].message  # duplicate of row 6
    assert by_row[8].column == "parent_code"  # 330304 is neither in the file nor in the database
    assert sorted(by_row) == [4, 5, 7, 8]
    assert str(by_row[4]).startswith("第 4 行，code 列")
    assert str(by_row[4]).endswith("（值：“33030X”）")  # the value as the file wrote it, not as Python prints it


def test_it_imports_the_valid_rest_when_asked(tmp_path):
    report = import_divisions(_write(tmp_path, BAD), commit="valid")
    assert report.committed
    assert set(AdminArea.objects.values_list("code", flat=True)) == {"330000", "330300", "330302", "330302006"}
    assert report.rejected_rows == [4, 5, 7, 8]


def test_it_reads_a_gbk_file_and_says_so(tmp_path):
    report = import_divisions(_write(tmp_path, GOOD, "gbk"))
    assert report.committed
    assert any("GB18030" in n for n in report.notes)
    assert AdminArea.objects.get(code="330302").name == "鹿城区"


def test_a_gbk_file_declared_as_utf8_is_refused_with_the_line(tmp_path):
    path = _write(tmp_path, GOOD, "gbk")
    with pytest.raises(CommandError) as exc:
        call_command("import_divisions", str(path), "--encoding", "utf-8")
    # Words for people name the line (第 2 行); the code and the place stay in the API's as_dict.
    assert "第 2 行" in str(exc.value) and "GBK" in str(exc.value)
    assert AdminArea.objects.count() == 0


def test_the_command_refuses_the_whole_file_and_points_to_the_valid_flag(tmp_path, capsys):
    with pytest.raises(CommandError) as exc:
        call_command("import_divisions", str(_write(tmp_path, BAD)))
    assert "--commit valid" in str(exc.value)
    assert "第 4 行" in capsys.readouterr().err
    call_command("import_divisions", str(_write(tmp_path, BAD)), "--commit", "valid")
    assert AdminArea.objects.filter(code="330302006").exists()


def test_a_second_import_updates_names_and_records_before_and_after(tmp_path):
    import_divisions(_write(tmp_path, GOOD))
    report = import_divisions(_write(tmp_path, GOOD.replace("五马街道", "五马街道办")))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    change = Change.objects.filter(action="update").get()
    assert change.before["name"] == "五马街道" and change.after["name"] == "五马街道办"


def test_chinese_headers_and_levels_are_understood(tmp_path):
    text = "代码,名称,级别,上级代码\n330300,温州市,市,330000\n330302,鹿城区,区县,330300\n"
    report = import_divisions(_write(tmp_path, text))
    assert report.committed and report.created == 3


@pytest.mark.shared_data
def test_the_official_wenzhou_code_list_imports_cleanly(shared_data):
    report = import_divisions(shared_data / "wenzhou_divisions_nbs2022.csv")
    assert not report.problems, [str(p) for p in report.problems[:5]]
    assert AdminArea.objects.at_level("county").count() == 12
    assert AdminArea.objects.at_level("township").count() == 191
    assert AdminArea.objects.get(code="330305002").name == "灵昆街道"
