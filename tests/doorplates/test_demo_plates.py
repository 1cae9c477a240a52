"""The demo builder puts plates on both sides of every demo road, numbered by chainage and side."""

import pytest

from boundaries.demo import DemoContext
from doorplates import services
from doorplates.demo import build_plates, clear_demo_plates
from doorplates.models import Doorplate
from placenames.demo import build_roads
from placenames.models import Place

pytestmark = pytest.mark.django_db

SCALE = 0.05  # 1,250 plates; 42 gives Wenzhou's 1.05 million


@pytest.fixture
def demo(wenzhou):
    ctx = DemoContext(scale=SCALE, seed=330300, log=lambda message: None)
    build_roads(ctx)
    build_plates(ctx)
    return ctx


def test_about_25000_plates_per_unit_of_scale_are_built(demo):
    assert 0.95 * 25_000 * SCALE <= Doorplate.objects.count() <= 1.05 * 25_000 * SCALE
    assert demo.data["doorplates"] == Doorplate.objects.count()


def test_every_demo_road_is_numbered_without_findings_of_parity_duplicates_or_order(demo):
    for road in Place.objects.roads().filter(doorplates__isnull=False).distinct():
        counts = services.check_road(road).counts()
        assert counts["wrong_side"] == counts["duplicate"] == counts["out_of_order"] == counts["too_far"] == 0, road


def test_demo_plates_have_standard_addresses_tokens_and_mixed_states(demo):
    plate = Doorplate.objects.filter(sub_number=1).first()
    assert plate.address.startswith("浙江省温州市") and plate.address.endswith("之一")
    assert Doorplate.objects.filter(token__isnull=True).count() == 0
    assert set(Doorplate.objects.values_list("status", flat=True)) == {"installed", "planned", "damaged", "retired"}


def test_rebuilding_the_roads_first_clears_the_demo_plates(demo):
    clear_demo_plates(demo)
    build_roads(demo)  # the roads are deleted and rebuilt: no plate may hold them
    build_plates(demo)
    assert Doorplate.objects.count() == demo.data["doorplates"]


def test_rebuilding_the_demo_plates_unlinks_canteens_and_keeps_their_foreign_key(demo):
    from django.db import IntegrityError, connection, transaction

    from canteens.models import Canteen

    plate = Doorplate.objects.exclude(status="retired").first()
    canteen = Canteen.objects.create(name="演示食堂", geom=plate.geom, area=plate.area, doorplate=plate,
                                     address=plate.address)

    clear_demo_plates(demo)

    canteen.refresh_from_db()
    assert canteen.doorplate_id is None and canteen.address == plate.address and not Doorplate.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():  # the key is back, and checked
        Canteen.objects.filter(pk=canteen.pk).update(doorplate_id=plate.pk)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
