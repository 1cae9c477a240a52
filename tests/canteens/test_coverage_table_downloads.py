import csv
import io

from openpyxl import load_workbook

from tests.base import lucheng_officer


def test_the_csv_has_a_row_per_county_and_township_with_both_rates(client, canteens):
    client.force_login(lucheng_officer())

    response = client.get("/canteens/coverage.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["级别", "代码", "名称", "区县"]
    by_code = {r[1]: r for r in body}
    assert set(by_code) == {"330302", "330302001", "330302101", ""}  # the officer's county only, and the total
    assert by_code["330302"][4:10] == ["4", "3", "75.00%", "2000", "1500", "75.00%"]
    assert by_code["330302"][11] == "是"
    assert by_code["330302101"][10] == "是"


def test_the_xlsx_keeps_rates_as_numbers_and_lists_the_uncovered(client, canteens):
    client.force_login(lucheng_officer())

    response = client.get("/canteens/coverage.xlsx")

    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    county = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "330302")
    assert county[6] == 0.75 and county[9] == 0.75
    uncovered = list(book.worksheets[1].iter_rows(values_only=True))
    assert [r[0] for r in uncovered[1:]] == ["330302001102"]
