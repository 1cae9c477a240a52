"""Fixtures shared by the boundary tests."""

import json

import pytest

from boundaries.inspection_models import InspectionCampaign
from tests.boundaries.lines_base import line_with_markers, officers


@pytest.fixture
def inspection(wenzhou_counties, client):
    """(鹿城's officer's client, the 鹿瓯 line with three markers, its 2026 inspection opened through the tablets' API)."""
    lucheng, *_ = officers()
    line = line_with_markers(lucheng)
    client.force_login(lucheng)
    created = client.post("/boundaries/api/campaigns/", json.dumps({"line": str(line.uuid), "year": 2026}),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    return client, line, InspectionCampaign.objects.get(uuid=created.json()["uuid"])
