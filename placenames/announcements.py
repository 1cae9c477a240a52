"""The announcement (公告) of approved names, as rows for a printable page and as an XLSX workbook.

Columns as 民政部 地名备案公告管理办法 (2023) lists them: standard name, romanization, admin area, location
description, approving authority, approval date.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gis.spreadsheets import xlsx_cell, xlsx_row
from placenames.models import ApplicationType

COLUMNS = [gettext_lazy("Standard name"), gettext_lazy("Romanization"), gettext_lazy("Administrative area"),
           gettext_lazy("Location description"), gettext_lazy("Approving authority"), gettext_lazy("Approval date")]
WIDTHS = [18, 24, 28, 40, 22, 12]


def announced_applications(applications, *, county: str | None = None, since: dt.date | None = None,
                           until: dt.date | None = None):
    rows = applications.announceable().filter(type__in=(ApplicationType.NAMING, ApplicationType.RENAMING))
    if county:
        rows = rows.in_county(county)
    if since:
        rows = rows.filter(approved_on__gte=since)
    if until:
        rows = rows.filter(approved_on__lte=until)
    return rows.select_related("area", "kind").order_by("approved_on", "id")


def row_of(app) -> list:
    return [app.proposed_name, app.pinyin, app.area.full_name(), app.location_description,
            app.approving_authority, app.approved_on]


def workbook(applications, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Place name announcement")
    sheet.append([xlsx_cell(sheet, title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([str(column) for column in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for app in applications:
        sheet.append(xlsx_row(sheet, row_of(app)))
        sheet.cell(row=sheet.max_row, column=6).number_format = "yyyy-mm-dd"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
