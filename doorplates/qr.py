"""QR codes of digital doorplates (segno) and the printable sheet installers take to the street.

A code holds only the public URL /d/<token>; everything else is looked up when it is scanned, so a revoked
token makes the printed plate show nothing.
"""

from __future__ import annotations

from html import escape

import segno

# A4 at 1 unit = 1 mm: 3 columns x 7 rows of 60 x 38 mm plates.
PAGE_W, PAGE_H = 210, 297
COLUMNS, ROWS = 3, 7
CELL_W, CELL_H = 64, 40
MARGIN_X, MARGIN_Y = 9, 8.5


def qr_svg(url: str, scale: int = 3) -> str:
    """An inline <svg> element of the QR code (error correction M, quiet zone of 2 modules)."""
    return segno.make(url, error="m", boost_error=False).svg_inline(scale=scale, border=2)


def _plate_svg(plate, x: float, y: float) -> str:
    code = segno.make(plate.public_url, error="m", boost_error=False)
    size = 30  # mm
    symbol = code.svg_inline(scale=size / code.symbol_size(border=2)[0], border=2, omitsize=True)
    symbol = symbol.replace("<svg ", f'<svg x="{x + 2}" y="{y + 5}" width="{size}" height="{size}" ', 1)
    road_pinyin = escape(getattr(plate, "road_pinyin", "") or "")
    lines = [
        f'<rect x="{x}" y="{y}" width="{CELL_W - 2}" height="{CELL_H - 2}" rx="2" fill="#fff" stroke="#1a4f9c" stroke-width="0.4"/>',
        symbol,
        f'<text x="{x + 34}" y="{y + 11}" font-size="5" font-weight="bold">{escape(plate.road_name)}</text>',
        f'<text x="{x + 34}" y="{y + 16}" font-size="2.6">{road_pinyin}</text>',
        f'<text x="{x + 34}" y="{y + 25}" font-size="{_number_size(plate.number_label)}" font-weight="bold">'
        f'{escape(plate.number_label)}</text>',
        f'<text x="{x + 34}" y="{y + 30.5}" font-size="4" font-weight="bold">{escape(_parts(plate))}</text>',
        f'<text x="{x + 34}" y="{y + 35}" font-size="2.2" fill="#555">{escape(plate.area_label)}</text>',
    ]
    return "\n".join(lines)


def _number_size(label: str) -> float:
    """Font size (mm) that keeps the house number inside the 26 mm beside the code: 88号 big, 1088号之十二 small."""
    return min(8.0, 26.0 / max(len(label), 1))


def _parts(plate) -> str:
    """幢, 单元, 室 under the house number; a residential area's plate without a number already shows them as its
    number (number_label)."""
    if plate.number is None:
        return ""
    return plate.parts_label


def sheet_svg(plates: list, title: str = "") -> str:
    """One A4 page (in mm) of up to 21 plates; the caller pages through longer lists."""
    cells = []
    for i, plate in enumerate(plates[: COLUMNS * ROWS]):
        col, row = i % COLUMNS, i // COLUMNS
        cells.append(_plate_svg(plate, MARGIN_X + col * CELL_W, MARGIN_Y + row * CELL_H))
    heading = f'<text x="{MARGIN_X}" y="6" font-size="3" fill="#555">{escape(title)}</text>' if title else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W}mm" height="{PAGE_H}mm" '
        f'viewBox="0 0 {PAGE_W} {PAGE_H}" font-family="Noto Sans CJK SC, Source Han Sans SC, sans-serif">\n'
        f"{heading}\n" + "\n".join(cells) + "\n</svg>\n"
    )


PER_PAGE = COLUMNS * ROWS
