from pyproj import Transformer

from audit.models import Action, Change
from canteens.models import Canteen
from tests.base import administrator
from tests.canteens.builders import V11, lonlat


def test_an_admin_edit_moves_the_area_with_the_location_and_is_audited(client, canteens):
    client.force_login(administrator())
    c2 = canteens["C2"]
    # The admin map widget posts its geometry in the map's projection, EPSG:3857.
    x, y = Transformer.from_crs(4490, 3857, always_xy=True).transform(*lonlat(100, -100))
    form = {"name": c2.name, "kind": c2.kind, "geom": f'{{"type": "Point", "coordinates": [{x}, {y}]}}',
            "address": "", "operator": "", "operator_phone": "", "opening_hours": "", "status": "open",
            "note": "", "source": "", "seats": "", "meals_per_sitting": "", "delivery_radius_m": "",
            "opened_on": "", "star_rating": ""}

    response = client.post(f"/admin/canteens/canteen/{c2.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    c2 = Canteen.objects.get(pk=c2.pk)
    assert c2.area.code == V11
    change = Change.objects.for_object(c2).get()
    assert change.action == Action.UPDATE and change.before["area_id"] != change.after["area_id"]
