"""A finding or a report typed like a formula is a text cell in the boundary documents' XLSX (formula injection)."""

import io

from openpyxl import load_workbook

from core.documents import Document, Table, to_xlsx

HOSTILE = '=HYPERLINK("http://evil.example","界桩")'


def test_every_text_cell_of_a_document_that_looks_like_a_formula_is_a_string():
    doc = Document(title="联检记录表", subtitle="+鹿城区", facts=[("界线", "@SUM(1)")], text=[("结论", HOSTILE)],
                   signatures=[("甲方", "-张三", "2026-12-01")],
                   tables=[Table("界桩", ["编号", "位移(m)", "说明"], [["Q1", -0.5, HOSTILE]])])

    book = load_workbook(io.BytesIO(to_xlsx(doc)))

    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert len(hostile) == 5 and all(c.quotePrefix for c in hostile)
    assert [c.value for c in cells if c.data_type == "n"] == [-0.5]
