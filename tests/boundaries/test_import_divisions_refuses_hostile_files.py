"""import_divisions refuses a NUL character, an overlong value and a broken CSV by row, before anything is
written, and reads a VRT as the text it is."""

import io

import pytest
from django.core.management import CommandError, call_command

from boundaries.models import AdminArea
from tests.hostile import SECRET, secret_file, vrt

pytestmark = pytest.mark.django_db


def _import(tmp_path, data: bytes) -> str:
    path = tmp_path / "divisions.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as error:
        call_command("import_divisions", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert AdminArea.objects.count() == 0
    return str(error.value)


def test_a_nul_character_is_refused_by_row_and_column(tmp_path):
    message = _import(tmp_path, "code,name,level,parent_code\n330300,温州\x00市,city,330000\n".encode())
    assert "第 2 行 name 列含有 NUL 字符" in message


def test_an_overlong_value_is_refused_with_an_excerpt(tmp_path):
    message = _import(tmp_path, f"code,name,level,parent_code\n330300,{'温' * 5000},city,330000\n".encode())
    assert "第 2 行 name 列长 5000 个字符" in message and len(message) < 400


def test_a_field_beyond_the_csv_limit_is_refused_by_row(tmp_path):
    message = _import(tmp_path, b'code,name,level,parent_code\n330300,"' + b"x" * 200_000 + b'",city,330000\n')
    assert "第 2 行无法按 CSV 读取" in message


def test_a_vrt_is_read_as_text_and_points_at_nothing(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text(vrt(f"CSV:{secret_file(tmp_path)}"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_divisions", str(path), stdout=out, stderr=err)
    assert "没有数据行" in out.getvalue() and SECRET not in out.getvalue() + err.getvalue()
    assert AdminArea.objects.count() == 0
