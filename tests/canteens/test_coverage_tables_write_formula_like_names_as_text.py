"""A township named like a formula opens as text in the coverage CSV and XLSX (formula injection)."""

import csv
import io

from openpyxl import load_workbook

from boundaries.models import AdminArea
from tests.base import lucheng_officer


def test_the_coverage_tables_write_a_hostile_township_name_as_text(client, canteens):
    AdminArea.objects.filter(code="330302001").update(name="=HYPERLINK(\"http://evil.example\")")
    client.force_login(lucheng_officer())

    text = client.get("/canteens/coverage.csv").content.decode("utf-8-sig")
    [row] = [r for r in csv.reader(io.StringIO(text)) if r[1] == "330302001"]
    assert row[2] == "'=HYPERLINK(\"http://evil.example\")"

    book = load_workbook(io.BytesIO(client.get("/canteens/coverage.xlsx").content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    names = [c for c in cells if c.value == "=HYPERLINK(\"http://evil.example\")"]
    assert len(names) == 2  # its row, and the township of its uncovered village
    assert all(c.data_type == "s" and c.quotePrefix for c in names)
