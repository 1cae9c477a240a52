"""An officer adds a room plate in a residential area from the single-plate form (no road, no house number) and
edits a village plate there; the form names the base it was opened on."""

import os

import pytest

from doorplates.models import Doorplate
from tests.base import follow, lucheng_officer
from tests.doorplates.builders import make_base, make_base_plate, make_road
from tests.doorplates.test_officer_adds_edits_looks_up_and_acts_on_plates_in_the_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_adds_a_flat_and_edits_a_village_plate_without_a_road(offline_page, wenzhou_counties):
    page = offline_page
    make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    estate = make_base("翠微小区", (120.660, 28.020), kind="residential", radius=0.001)
    village = make_base("苍坡村", (120.655, 28.010), kind="village")
    plate = make_base_plate(village, 12)
    sign_in(page, lucheng_officer())

    page.goto(page.base_url + "/doorplates/plates/new/")
    page.select_option("#id_base", f"residential:{estate.uuid}")
    page.select_option("#id_plate_type", "room")
    page.fill("input[name=building]", "3")
    page.fill("input[name=unit]", "2")
    page.fill("input[name=room]", "501")
    centre = estate.geom.centroid
    page.fill("#id_lon", f"{centre.x:.7f}")
    page.fill("#id_lat", f"{centre.y:.7f}")
    if os.environ.get("DIMING_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["DIMING_SCREENSHOTS"], "plate_form_residential.png"))
    follow(page, "#plate-form button[type=submit]")
    flat = Doorplate.objects.get(residential_area=estate)
    assert (flat.number, flat.number_label, flat.plate_type) == (None, "3幢2单元501室", "room")
    assert "翠微小区3幢2单元501室" in page.inner_text("main")

    page.goto(page.base_url + f"/doorplates/plates/{plate.uuid}/edit/")
    assert page.input_value("#id_base") == f"village:{village.uuid}"
    assert page.input_value("#id_number") == "12号"
    page.fill("#id_number", "14")
    page.fill("#id_reason", "门牌号更正")
    follow(page, "#plate-form button[type=submit]")
    plate.refresh_from_db()
    assert plate.address.endswith("苍坡村14号") and plate.village == village
