"""At Wenzhou's size (1.05 million plates) a list of plates is read in the order of an index, not sorted whole.

The plates' default order said "road", which Django reads as the road's own order, its name: every list that kept
the default (the administration's list, the API's pages) joined the roads and sorted every plate for each page (a
second a page on the full demo). The order is the road's column, as doorplate_road_number holds it. The
administration's filter by base lists the three bases, not the distinct values of a million rows, counts nothing
per filter value, and finds a base's plates by that base's own column, in the order of its own index (filtered to
villages, the road order read a million road plates before the first village plate: 1.4 s a page)."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doorplates.models import Doorplate
from tests.doorplates.builders import make_base, make_base_plate, make_plate, make_road


def test_the_default_order_is_the_road_number_index_s():
    sql = str(Doorplate.objects.all().query)
    assert "placenames_place" not in sql
    assert sql.endswith('ORDER BY "doorplates_doorplate"."road_id" ASC, "doorplates_doorplate"."number" ASC, '
                        '"doorplates_doorplate"."sub_number" ASC')


def test_the_administration_lists_plates_without_sorting_or_scanning_them_all(client, wenzhou):
    road = make_road("观澜路")
    for n in (1, 3, 5):
        make_plate(road, n, chainage_m=10.0 * n)
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/doorplates/doorplate/?_facets=True")
    assert page.status_code == 200 and "观澜路1号" in page.content.decode()
    plates = [q["sql"] for q in queries.captured_queries if 'FROM "doorplates_doorplate"' in q["sql"]]
    assert not [q for q in plates if "placenames_place" in q], plates
    assert not [q for q in plates if "DISTINCT" in q and "base_kind" in q], plates
    assert not [q for q in plates if "COUNT(" in q and "FILTER" in q], plates  # no facet counts
    text = page.content.decode()
    assert all(f"base={kind}" in text for kind in ("road", "village", "residential"))


def test_the_administration_lists_a_kind_of_base_by_its_own_index(client, wenzhou):
    make_plate(make_road("观澜路"), 1)
    village = make_base("上村", kind="village")
    for n in (3, 1, 2):
        make_base_plate(village, n)
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/doorplates/doorplate/?base=village")
    text = page.content.decode()
    assert page.status_code == 200 and "观澜路" not in text
    assert text.index("上村1号") < text.index("上村2号") < text.index("上村3号")
    listed = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith('SELECT "doorplates_doorplate"."created_at"')]
    assert len(listed) == 1 and '"doorplates_doorplate"."village_id" IS NOT NULL' in listed[0]
    assert 'ORDER BY "doorplates_doorplate"."village_id" ASC, "doorplates_doorplate"."villager_group" ASC' in listed[0]
