"""A zip, a GeoPackage or a PDF named .csv was reported as "not UTF-8, perhaps GBK: choose GBK", which sends the
user after the wrong fault; and the csv module's own refusals reached the report in English ("field larger than
field limit (131072)"). Every reader of a user's CSV says what the file is, and each row's fault in words."""

import io
import zipfile

import pytest
from django.utils import translation

from boundaries.importing import decode
from doorplates.readers import read_csv_table
from gis.errors import InputError
from placenames.bulk_files import open_table


def zipped() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.csv", "road,number\n解放街,1\n")
    return out.getvalue()


@pytest.mark.parametrize(("content", "said"), [(zipped(), "ZIP 压缩包"), (b"SQLite format 3\x00" + b"\x00" * 100,
                                                                      "GeoPackage"), (b"%PDF-1.7\n%\xe2\xe3", "PDF")])
def test_each_reader_names_what_the_file_is(tmp_path, content, said):
    path = tmp_path / "plates.csv"
    path.write_bytes(content)
    with translation.override("zh-hans"):
        for read in (lambda: read_csv_table(path, label="门牌.csv"), lambda: open_table(path, "csv", label="门牌.csv"),
                     lambda: decode(content, label="门牌.csv")):
            with pytest.raises(InputError) as refused:
                read()
            assert refused.value.code == "not_csv" and said in str(refused.value) and "门牌.csv" in str(refused.value)
            assert "GBK" not in str(refused.value)


def test_a_cell_beyond_the_reader_s_limit_is_said_in_words(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("road,number,lon,lat\n" + "A" * 200_000 + ",1,120.7,28\n", encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(InputError) as refused:
        list(read_csv_table(path, label="long.csv").rows)
    assert str(refused.value) == "第 2 行无法按 CSV 读取：有单元格超过 131,072 个字符"
