import pytest
from django.db import IntegrityError, transaction

from audit.privacy import private_fields
from cemeteries.models import Corridor, CorridorKind, Grave, GraveState, GraveTag, Zone, ZoneKind
from tests.cemeteries.builders import SHANGAO, at, box, known_geography, line

pytestmark = pytest.mark.django_db


def test_a_grave_keeps_metric_and_tile_copies_of_its_point_and_its_owner_is_private():
    areas = known_geography()
    grave = Grave.objects.create(geom=at(100, 50), area=areas[SHANGAO], owner_name="张三", owner_phone="13800000000")
    grave.refresh_from_db()

    assert grave.geom_4549.srid == 4549 and round(grave.geom_4549.x) == 560_100
    assert grave.state == GraveState.IDENTIFIED and grave.version == 1
    assert set(private_fields(Grave).fields) == {"owner_name", "owner_phone"}


def test_a_protected_grave_cannot_be_stored_as_remediated():
    areas = known_geography()
    with pytest.raises(IntegrityError), transaction.atomic():
        Grave.objects.create(geom=at(0, 0), area=areas[SHANGAO], protected=True, state=GraveState.REMEDIATED)


def test_a_tag_names_a_corridor_or_a_zone_never_both():
    areas = known_geography()
    grave = Grave.objects.create(geom=at(0, 0), area=areas[SHANGAO])
    road = Corridor.objects.create(name="G1", kind=CorridorKind.EXPRESSWAY, geom=line((-100, 0), (100, 0)))
    farm = Zone.objects.create(name="F", kind=ZoneKind.FARMLAND, geom=box(-10, -10, 10, 10))

    assert road.band_m == 200
    with pytest.raises(IntegrityError), transaction.atomic():
        GraveTag.objects.create(grave=grave, corridor=road, zone=farm, distance_m=0)
