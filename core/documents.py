"""Printable documents as XLSX (openpyxl) and PDF (WeasyPrint, Noto Sans CJK): a ``Document`` (title, facts,
tables, paragraphs, signatures, a map as SVG) is built once by the app that knows its content (the boundary
registers and inspection reports of boundaries.outputs, the cemeteries' weekly report) and the two writers only lay
it out, the same for every app: cells that look like formulas are written as text (gis.spreadsheets), the PDF's page
is config/templates/documents/print.html."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gis.spreadsheets import xlsx_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Document:
    title: str
    subtitle: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    text: list[tuple[str, str]] = field(default_factory=list)  # (heading, paragraph)
    signatures: list[tuple[str, str, str]] = field(default_factory=list)  # (side, by, at)
    map_svg: str = ""
    landscape: bool = True


def to_xlsx(doc: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = doc.title[:31]
    sheet.append(xlsx_row(sheet, [doc.title]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(xlsx_row(sheet, [doc.subtitle]))
    for label, value in doc.facts:
        sheet.append(xlsx_row(sheet, [label, value]))
    for heading, paragraph in doc.text:
        sheet.append(xlsx_row(sheet, [heading, paragraph]))
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True)
    for side, by, at in doc.signatures:
        sheet.append(xlsx_row(sheet, [_("Signed for %(side)s") % {"side": side}, by, at]))
    for table in doc.tables:
        data = book.create_sheet(table.title[:31])
        data.append(xlsx_row(data, table.headers))
        for cell in data[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            data.append(xlsx_row(data, row))
        data.freeze_panes = "A2"
        for i, header in enumerate(table.headers, start=1):
            width = max([len(str(header))] + [len(str(r[i - 1])) for r in table.rows]) + 2
            data.column_dimensions[data.cell(row=1, column=i).column_letter].width = min(width * 1.6, 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    html = render_to_string("documents/print.html", {"doc": doc, "printed": timezone.localdate()})
    return HTML(string=html).write_pdf()
