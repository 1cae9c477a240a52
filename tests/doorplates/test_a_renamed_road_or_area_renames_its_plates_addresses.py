"""A plate carries its road's name and its area's names in its standard address and search text. When a renaming of
the road is approved, or an area's name is corrected, every plate follows in the same transaction: the QR page,
autocomplete and a linked canteen show the new name, never the old."""

import pytest

from boundaries.models import AdminArea
from doorplates.models import Doorplate
from doorplates.search import autocomplete
from placenames import services
from placenames.models import ApplicationState as S
from placenames.models import ApplicationType
from tests.base import administrator, lucheng_officer, lucheng_reviewer
from tests.doorplates.builders import TAISHUN_STRAIGHT, make_plate, make_road
from tests.placenames.builders import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def road_with_plates(wenzhou_counties):
    road = make_road("胜利路", kind="road")
    plates = [make_plate(road, n, chainage_m=20 * n) for n in (1, 2, 3, 88)]
    other = make_plate(make_road("解放街", coords=TAISHUN_STRAIGHT, county="330329"), 5)
    return road, plates, other


def approve_renaming(road, new_name: str):
    officer = lucheng_officer()
    app = services.create_application(officer, type=ApplicationType.RENAMING, place=str(road.uuid),
                                      proposed_name=new_name, reason="道路延伸，统一名称")
    return walk(app, officer, lucheng_reviewer(), S.ANNOUNCED)


def test_an_approved_renaming_renames_every_plate_of_the_road(road_with_plates):
    road, plates, other = road_with_plates
    other_before = Doorplate.objects.get(pk=other.pk)

    approve_renaming(road, "望江东路")

    for plate in Doorplate.objects.filter(road=road):
        assert plate.road_name == "望江东路"
        assert plate.address.endswith(f"望江东路{plate.number_label}") and "胜利路" not in plate.address
        assert "wangjiangdonglu" in plate.search_text and "shengli" not in plate.search_text
    untouched = Doorplate.objects.get(pk=other.pk)
    assert (untouched.address, untouched.updated_at) == (other_before.address, other_before.updated_at)


def test_after_the_renaming_search_and_the_qr_page_show_the_new_name(client, road_with_plates):
    road, plates, _other = road_with_plates
    approve_renaming(road, "望江东路")
    user = administrator()

    found = autocomplete("望江东路88", user)
    page = client.get(f"/d/{plates[-1].token}").content.decode()

    assert [row["uuid"] for row in found] == [str(plates[-1].uuid)]
    assert autocomplete("胜利路88", user) == []
    assert "望江东路88号" in page and "胜利路" not in page


def test_a_corrected_township_name_reaches_the_addresses_of_its_plates_only(road_with_plates):
    road, plates, _other = road_with_plates
    plate = Doorplate.objects.get(pk=plates[0].pk)
    township = plate.area if plate.area.level == "township" else plate.area.parent
    old_name = township.name
    elsewhere = dict(Doorplate.objects.exclude(area__code12__startswith=township.prefix).values_list("pk", "address"))

    assert elsewhere  # the plate on the other road, in another county
    township.name = "新" + old_name
    township.save()

    renamed = Doorplate.objects.get(pk=plate.pk)
    assert f"新{old_name}" in renamed.address and renamed.address.endswith(plate.address.split(old_name, 1)[1])
    assert renamed.search_text == plate.search_text  # the search text holds no admin names
    assert dict(Doorplate.objects.filter(pk__in=list(elsewhere)).values_list("pk", "address")) == elsewhere


def test_saving_a_road_or_an_area_without_renaming_it_leaves_the_plates_alone(road_with_plates):
    road, plates, _other = road_with_plates
    before = {p.pk: p.updated_at for p in Doorplate.objects.all()}

    road.location_description = "东起人民路，西至江滨路"
    road.save()
    area = AdminArea.objects.get(code="330302")
    area.elderly_population = (area.elderly_population or 0) + 1
    area.save()

    assert {p.pk: p.updated_at for p in Doorplate.objects.all()} == before
