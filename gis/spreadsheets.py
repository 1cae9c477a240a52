"""Cells that a spreadsheet opens as text, never as a formula (CSV and formula injection, OWASP).

A name, an address or an objection typed as ``=HYPERLINK(...)``, ``+cmd|...``, ``-2+3`` or ``@SUM(...)`` (or led
by a tab or carriage return) is a live formula once Excel or WPS opens the file. Every CSV and XLSX the product
writes goes through this module:

- CSV: such a text cell gets a leading apostrophe (OWASP's advice), so the sheet shows it as text;
- XLSX: such a cell is written as a string cell with Excel's quote prefix (as when a person types ``'=1``): the
  text stays exactly as entered and editing the cell does not turn it into a formula.

Only text is touched: numbers (negative coordinates, counts) stay numbers, and a text that is just a number
(``-12.5``, ``+3``) is no formula and is left alone.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet could take ``value`` (a text) for a formula."""
    return (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            and _PLAIN_NUMBER.fullmatch(value) is None)


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: a formula-like text led by an apostrophe, anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


def csv_row(row) -> list:
    return [csv_cell(value) for value in row]


def xlsx_cell(sheet, value: Any) -> Any:
    """The value for ``sheet.append`` (openpyxl): a formula-like text as a quote-prefixed string cell, a text still
    to be translated (a choice's label) as its words."""
    if isinstance(value, Promise):
        value = str(value)
    if not is_formula_like(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl took the leading "=" for a formula
    cell.quotePrefix = True
    return cell


def xlsx_row(sheet, row) -> list:
    return [xlsx_cell(sheet, value) for value in row]
