from django.db import connection

from boundaries.demo import DemoContext
from canteens.demo import build_canteens, canteen_count
from canteens.models import Canteen


def test_the_demo_count_follows_the_scale():
    assert canteen_count(1) == 25
    assert canteen_count(42) == 1010


def test_the_demo_puts_canteens_near_village_service_points(wenzhou):
    build_canteens(DemoContext(scale=1, seed=330300, log=lambda m: None))

    assert Canteen.objects.count() == 25
    assert Canteen.objects.filter(delivers=True).exists()
    assert Canteen.objects.open().count() >= 15
    with connection.cursor() as cursor:
        # the farthest canteen from its nearest village service point, in metres (EPSG:4549)
        cursor.execute("""SELECT max(d) FROM (SELECT (SELECT min(ST_Distance(k.geom_4549, ST_Transform(a.service_point, 4549)))
                          FROM boundaries_adminarea a WHERE a.level = 'village') AS d FROM canteens_canteen k) q""")
        assert cursor.fetchone()[0] < 700


def test_rebuilding_the_demo_replaces_its_canteens(wenzhou):
    ctx = DemoContext(scale=1, seed=330300, log=lambda m: None)
    build_canteens(ctx)
    first = sorted(Canteen.objects.values_list("name", flat=True))
    build_canteens(ctx)

    assert sorted(Canteen.objects.values_list("name", flat=True)) == first
