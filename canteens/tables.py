"""The coverage table by county and township, as the page shows it and as CSV/XLSX and JSON carry it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from canteens.coverage import CoverageReport, Tally
from canteens.siting import SitingPlan
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_xy
from gis.spreadsheets import csv_row, xlsx_row


@dataclass
class TableRow:
    level: str  # city, county, township
    code: str
    name: str
    county: str
    tally: Tally
    # county rows: whether a fully covered township exists; township rows: whether this one is fully covered
    flag: bool

    @property
    def count_percent(self) -> str:
        return percent(self.tally.rate_by_count)

    @property
    def population_percent(self) -> str:
        return percent(self.tally.rate_by_population)

    def as_dict(self) -> dict:
        t = self.tally
        return {"level": self.level, "code": self.code, "name": self.name, "county": self.county,
                "villages": t.villages, "covered_villages": t.covered_villages,
                "rate_by_count": _rounded(t.rate_by_count), "elderly": t.elderly,
                "covered_elderly": t.covered_elderly, "rate_by_population": _rounded(t.rate_by_population),
                "fully_covered": t.fully_covered,
                "has_fully_covered_township": self.flag if self.level == "county" else None}


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.2f}%"


def table_rows(report: CoverageReport, *, with_total: bool = True) -> list[TableRow]:
    """County rows, each followed by its townships; the total last."""
    rows: list[TableRow] = []
    for county in report.counties:
        rows.append(TableRow("county", county.code, county.name, county.name, county.tally,
                             county.has_fully_covered_township))
        rows.extend(TableRow("township", t.code, t.name, county.name, t.tally, t.tally.fully_covered)
                    for t in county.townships)
    if with_total:
        rows.append(TableRow("city", "", _("Total"), "", report.total, report.total.fully_covered))
    return rows


def _headers() -> list[str]:
    return [_("Level"), _("Code"), _("Name"), _("County"), _("Villages and communities"), _("Covered"),
            _("Coverage by count"), _("Elderly population (60+)"), _("Covered elderly"),
            _("Coverage by elderly population"), _("Fully covered"), _("Has a fully covered township")]


def _cells(row: TableRow) -> list:
    t = row.tally
    yes, no = _("yes"), _("no")
    level = {"city": pgettext("coverage level", "total"), "county": pgettext("coverage level", "county"),
             "township": pgettext("coverage level", "township")}[row.level]
    return [level, row.code, row.name, row.county, t.villages, t.covered_villages, percent(t.rate_by_count),
            t.elderly, t.covered_elderly, percent(t.rate_by_population), yes if t.fully_covered else no,
            (yes if row.flag else no) if row.level == "county" else ""]


def table_csv(report: CoverageReport) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it without mojibake."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    for row in table_rows(report):
        writer.writerow(csv_row(_cells(row)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(report: CoverageReport, plan: SitingPlan | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Coverage")
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table_rows(report):
        cells = _cells(row)
        # Rates as numbers formatted as percentages, so the sheet can compute with them.
        cells[6] = row.tally.rate_by_count
        cells[9] = row.tally.rate_by_population
        sheet.append(xlsx_row(sheet, cells))
        sheet.cell(sheet.max_row, 7).number_format = "0.00%"
        sheet.cell(sheet.max_row, 10).number_format = "0.00%"
        if row.level != "township":
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJKL", (8, 12, 22, 10, 10, 8, 10, 12, 12, 12, 8, 12), strict=True):
        sheet.column_dimensions[column].width = width
    _uncovered_sheet(book, report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _uncovered_sheet(book, report: CoverageReport) -> None:
    sheet = book.create_sheet(_("Uncovered"))
    sheet.append([_("Code"), _("Name"), _("Township"), _("County"), _("Elderly population (60+)"),
                  _("Walking radius (m)"), _("Nearest open canteen (m)")])
    for v in report.uncovered:
        sheet.append(xlsx_row(sheet, [v.code, v.name, v.township, v.county, v.elderly, round(v.walk_m),
                                      round(v.nearest_m) if v.nearest_m is not None else None]))


def report_as_dict(report: CoverageReport) -> dict:
    return {
        "walk_radius_m": {"urban": report.walk_urban_m, "rural": report.walk_rural_m},
        "total": TableRow("city", "", "", "", report.total, False).as_dict(),
        "counties_meeting_target": report.counties_meeting_target,
        "rows": [r.as_dict() for r in table_rows(report, with_total=False)],
        "uncovered": [{"code": v.code, "name": v.name, "township": v.township, "county": v.county,
                       "elderly": v.elderly, "urban": v.urban, "walk_radius_m": v.walk_m,
                       "nearest_open_canteen_m": None if v.nearest_m is None else round(v.nearest_m, 1)}
                      for v in report.uncovered],
    }


def suggestion_lonlat(suggestion) -> tuple[float, float]:
    lon, lat = transform_xy(suggestion.candidate.x, suggestion.candidate.y, METRIC_SRID, STORAGE_SRID)
    return round(lon, 7), round(lat, 7)


def plan_as_dict(plan: SitingPlan) -> dict:
    return {
        "candidates": plan.candidates, "uncovered_villages": plan.uncovered_villages,
        "uncovered_elderly": plan.uncovered_elderly,
        "suggestions": [{"rank": s.rank, "key": s.candidate.key, "label": s.candidate.label,
                         "lonlat": suggestion_lonlat(s),
                         "x_4549": round(s.candidate.x, 2), "y_4549": round(s.candidate.y, 2),
                         "added_villages": s.added_villages, "added_elderly": s.added_elderly,
                         "reached": s.reached, "rate_by_count_after": _rounded(s.after.rate_by_count),
                         "rate_by_population_after": _rounded(s.after.rate_by_population)}
                        for s in plan.suggestions],
    }
