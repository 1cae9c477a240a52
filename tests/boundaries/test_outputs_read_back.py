"""The 联检记录表, 界桩登记表, 界桩成果表 and joint report read back from XLSX and render as PDF pages."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from openpyxl import load_workbook

from borders import inspections
from boundaries import outputs
from boundaries.inspection_models import FoundState
from core import documents
from tests.boundaries.lines_base import line_with_markers, officers


@pytest.fixture
def campaign(wenzhou_counties):
    lucheng, ouhai, *_ = officers()
    line = line_with_markers(lucheng)
    campaign = inspections.open_campaign(lucheng, line, year=2026, plan="逐桩检查、复测",
                                         members=[{"side": "a", "name": "张三", "role": "组长"},
                                                  {"side": "b", "name": "李四", "role": "测量员"}])
    first, second, third = line.markers.order_by("sequence")
    moved = Point(second.geom.x + 0.00004, second.geom.y, srid=4490)
    for marker, data in ((first, {"state": "intact"}),
                         (second, {"state": "displaced", "measured": moved, "method": "gnss",
                                   "accuracy_m": Decimal("0.02"), "action": "resurvey"}),
                         (third, {"state": "lost", "action": "replace", "measured": third.geom, "method": "gnss"})):
        rec = inspections.save_record(lucheng, campaign, data, marker=marker)
        inspections.sign_record(lucheng, rec, "a")
        inspections.sign_record(ouhai, rec, "b")
    inspections.add_finding(lucheng, campaign, kind="construction", description="新建公路穿越界线",
                            from_marker=first, to_marker=second)
    report = inspections.save_report(lucheng, campaign, summary="界线清楚，一处界桩移位已复测，一处丢失已补设。")
    inspections.sign_report(lucheng, report, "a")
    inspections.sign_report(ouhai, report, "b")
    return campaign


def _sheet(doc, index=1):
    """The workbook and the rows of its sheet ``index`` (0: the title sheet, then one per table)."""
    book = load_workbook(io.BytesIO(documents.to_xlsx(doc)))
    return book, list(book.worksheets[index].iter_rows(values_only=True))


def test_the_record_sheet_reads_back_with_states_displacements_and_both_signatures(campaign):
    book, rows = _sheet(outputs.record_sheet(campaign))
    header, *records = rows
    assert header[-2:] == ("鹿城区", "瓯海区")
    by_number = {r[0]: r for r in records}
    line_code = campaign.line.line_code
    displaced = by_number[f"{line_code}002Q"]
    assert displaced[2] == str(FoundState.DISPLACED.label) and 3.5 < float(displaced[6]) < 4.5 and displaced[8]
    assert all(r[11].startswith("lucheng_officer") and r[12].startswith("ouhai_officer") for r in records)
    assert list(book.worksheets[2].iter_rows(values_only=True))[1][3] == "新建公路穿越界线"


def test_the_coordinate_table_gives_geographic_and_gauss_kruger_coordinates(campaign):
    _book, rows = _sheet(outputs.coordinate_table(campaign.line))
    header, first, *_ = rows
    marker = campaign.line.markers.get(sequence=1)
    assert float(first[1]) == pytest.approx(marker.geom.y, abs=1e-8)
    assert float(first[2]) == pytest.approx(marker.geom.x, abs=1e-8)
    x, y = outputs.plane_xy(marker.geom.x, marker.geom.y)
    assert (float(first[3]), float(first[4])) == (pytest.approx(x, abs=0.001), pytest.approx(y, abs=0.001))
    assert 3_000_000 < x < 3_200_000 and 400_000 < y < 600_000  # ~28°N, within the zone around 120°E


def test_the_register_lists_every_marker_with_its_maintaining_side(campaign):
    _book, rows = _sheet(outputs.marker_register(campaign.line))
    assert [r[0] for r in rows[1:]] == [m.number for m in campaign.line.markers.order_by("sequence")]
    assert {r[5] for r in rows[1:]} == {"鹿城区"}


def test_the_joint_report_renders_as_a_pdf_page_with_the_signatures(campaign, tmp_path):
    pdf = documents.to_pdf(outputs.joint_report(campaign))
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "鹿瓯线 2026" in text and "lucheng_officer" in text and "ouhai_officer" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])
    assert image.size[1] > image.size[0]  # portrait A4
    assert dark > 2000  # text, tables and the map are drawn, not a blank page


def test_the_joint_report_of_an_inspection_still_in_progress_reads_back_as_xlsx(wenzhou_counties):
    """Before, its XLSX was a server error: a state's label, still to be translated, went into a cell as it was
    (found by a crawl of the pages)."""
    lucheng, *_ = officers()
    line = line_with_markers(lucheng)
    campaign = inspections.open_campaign(lucheng, line, year=2026, plan="逐桩检查")
    inspections.save_record(lucheng, campaign, {"state": "intact"}, marker=line.markers.order_by("sequence").first())
    book = load_workbook(io.BytesIO(documents.to_xlsx(outputs.joint_report(campaign))))
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert str(FoundState.INTACT.label) in cells and "完好" in cells
