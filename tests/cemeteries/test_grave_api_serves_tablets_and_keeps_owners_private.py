"""The grave API for the office and the crews' tablets: region scoping, owner data only for the region's officers
and the assigned crew (never in tiles, OGC, exports, history for others, error messages), photos only to those who
may read the grave, versions on every write, and a clear 4xx for every hostile input."""

import json

import pytest
from django.test import TestCase

from cemeteries import services
from cemeteries.models import GraveState
from exports.services import export_file
from gis.errors import NotFound
from gis.layers import exportable_layers
from tests.base import lucheng_officer, ruian_officer
from tests.cemeteries import builders as b
from tests.cemeteries.builders import LUCHENG, RUIAN, TENGQIAO, at, crew_member, grave_at, known_geography
from tests.tiles.builders import decode, tile_at, url

OWNER, PHONE = "李四", "13712345678"


class GraveApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        known_geography()
        cls.officer, cls.ruian = lucheng_officer(), ruian_officer()
        cls.crew, cls.bystander = crew_member("crew_a", LUCHENG), crew_member("crew_b", LUCHENG)
        cls.grave = grave_at(100, 100, cls.officer, owner_name=OWNER, owner_phone=PHONE, grade="A")
        cls.other = grave_at(3000, 100, cls.officer, grade="C")
        cls.far = grave_at(20000, 100, cls.ruian)
        services.assign_crew(cls.grave, cls.officer, [cls.crew])

    def api(self, user, path="", method="get", data=None, **extra):
        self.client.force_login(user)
        base = f"/cemeteries/api/graves/{path}"
        if method == "get":
            return self.client.get(base, data or {}, **extra)
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return getattr(self.client, method)(base, body, content_type="application/json", **extra)

    def version(self):
        self.grave.refresh_from_db()
        return self.grave.version

    def test_an_officer_lists_the_graves_of_the_region_filtered_and_paged(self):
        page = self.api(self.officer, data={"area": TENGQIAO, "page_size": 1}).json()
        assert (page["count"], page["pages"], len(page["results"])) == (2, 2, 1)
        assert self.api(self.officer, data={"grade": "A"}).json()["results"][0]["owner_name"] == OWNER
        assert self.api(self.officer, data={"state": "accepted"}).json()["count"] == 0

    def test_a_page_of_graves_asks_the_database_the_same_number_of_times_however_many_it_holds(self):
        """Whether the reader is a grave's crew (who sees its owner) was asked grave by grave: 50 queries a page."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(user):
            with CaptureQueriesContext(connection) as captured:
                page = self.api(user).json()
            return page["count"], len(captured.captured_queries), page

        queries(self.crew)  # what a process reads once (content types, the area tree) is read here
        two = queries(self.crew)
        for k in range(6):
            services.assign_crew(grave_at(400 + 300 * k, 100, self.officer, owner_name=f"王{k}"), self.officer,
                                 [self.crew])
        eight = queries(self.crew)
        assert eight[0] == two[0] + 6 and eight[1] == two[1]
        assert {g.get("owner_name") for g in eight[2]["results"]} >= {OWNER, *(f"王{k}" for k in range(6))}
        assert not [g for g in queries(self.bystander)[2]["results"] if g.get("owner_name")]

    def test_another_region_sees_neither_the_grave_nor_its_owner(self):
        listed = self.api(self.ruian).json()
        assert [g["id"] for g in listed["results"]] == [str(self.far.uuid)]
        response = self.api(self.ruian, f"{self.grave.uuid}/")
        assert response.status_code == 404 and OWNER not in response.content.decode()
        page = self.client.get(f"/cemeteries/graves/{self.grave.uuid}/")
        assert page.status_code == 404 and OWNER not in page.content.decode()
        refused = self.api(self.ruian, f"{self.grave.uuid}/steps/", "post", {"to": "checked", "version": 1})
        assert refused.status_code == 404 and OWNER not in refused.content.decode()

    def test_the_assigned_crew_sees_the_owner_and_other_crews_do_not(self):
        assert self.api(self.crew, f"{self.grave.uuid}/").json()["owner_phone"] == PHONE
        seen = self.api(self.bystander, f"{self.grave.uuid}/")
        assert seen.status_code == 200 and OWNER not in seen.content.decode() and PHONE not in seen.content.decode()
        page = self.client.get(f"/cemeteries/graves/{self.grave.uuid}/").content.decode()
        assert OWNER not in page and PHONE not in page

    def test_the_crew_corrects_a_position_within_the_county_but_cannot_move_the_grave_into_another(self):
        """Before, the crew's assignment let it move a grave into another county (found by a crawl as a crew)."""
        far_lon, far_lat = self.far.geom.coords
        near_lon, near_lat = self.other.geom.coords
        away = self.api(self.crew, f"{self.grave.uuid}/", "patch",
                        {"lon": far_lon + 0.0005, "lat": far_lat, "version": self.version()})
        assert away.status_code == 403 and away.json()["error"]["code"] == "outside_region"
        self.grave.refresh_from_db()
        assert self.grave.area.code12.startswith(LUCHENG[:6])

        corrected = self.api(self.crew, f"{self.grave.uuid}/", "patch",
                             {"lon": near_lon + 0.0005, "lat": near_lat, "version": self.version()})
        assert corrected.status_code == 200, corrected.content

    def test_an_officer_assigns_only_active_crew_of_the_grave_s_region(self):
        """Before, the API took any field crew, of any county or none, though the page offers only the region's: an
        assignment shows the crew the owner (found reading the service after a crawl)."""
        ruian_crew, left = crew_member("crew_r", RUIAN), crew_member("crew_gone", LUCHENG)
        left.is_active = False
        left.save()
        for outsider in (ruian_crew, left):
            refused = self.api(self.officer, f"{self.grave.uuid}/crew/", "post",
                               {"usernames": ["crew_a", outsider.username], "version": self.version()})
            assert refused.status_code == 400, refused.content
            assert refused.json()["error"]["code"] == "not_crew_here"
            assert outsider.username in refused.json()["error"]["message"]
            assert OWNER not in self.api(outsider, f"{self.grave.uuid}/").content.decode()
        assert list(self.grave.crew.values_list("username", flat=True)) == ["crew_a"]
        taken = self.api(self.officer, f"{self.grave.uuid}/crew/", "post",
                         {"usernames": ["crew_a", "crew_b"], "version": self.version()})
        assert taken.status_code == 200, taken.content
        assert self.api(self.bystander, f"{self.grave.uuid}/").json()["owner_phone"] == PHONE

    def test_the_owner_is_in_no_tile_ogc_response_or_export(self):
        self.client.force_login(self.officer)
        lon, lat = self.grave.geom.coords
        z, x, y = tile_at(lon, lat, 15)
        tile = self.client.get(url("graves", z, x, y))
        assert tile.status_code == 200 and OWNER.encode() not in tile.content and PHONE.encode() not in tile.content
        assert {f["properties"]["grade"] for f in decode(tile)["graves"]} == {"A"}
        items = self.client.get("/ogc/collections/graves/items", {"f": "json"}).content.decode()
        assert str(self.grave.uuid) in items and OWNER not in items and PHONE not in items
        self.client.logout()
        assert self.client.get(url("graves", z, x, y)).status_code == 404
        assert self.client.get("/ogc/collections/graves/items", {"f": "json"}).status_code == 404
        assert "graves" not in {layer.name for layer in exportable_layers()}
        with pytest.raises(NotFound):
            export_file(profile="geojson", layer="graves", out=self.tmp / "g.geojson", user=self.officer)

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = tmp_path

    def test_a_history_shows_others_no_owner_even_of_past_values(self):
        services.update_grave(self.grave, self.officer, {"owner_phone": "13000000000"}, version=self.version())
        self.client.force_login(self.bystander)
        page = self.client.get(f"/cemeteries/graves/{self.grave.uuid}/").content.decode()
        assert PHONE not in page and "13000000000" not in page
        self.client.force_login(self.officer)
        assert "13000000000" in self.client.get(f"/cemeteries/graves/{self.grave.uuid}/").content.decode()

    def test_a_step_names_the_version_it_was_made_on(self):
        path = f"{self.grave.uuid}/steps/"
        assert self.api(self.crew, path, "post", {"to": "checked"}).status_code == 428
        done = self.api(self.crew, path, "post", {"to": "checked", "remarks": "on site"},
                        HTTP_IF_MATCH=f'"{self.version()}"')
        assert done.status_code == 200 and done.json()["state"] == GraveState.CHECKED
        assert done["ETag"] == f'"{self.version()}"'
        stale = self.api(self.officer, path, "post", {"to": "notified", "version": 1})
        assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
        illegal = self.api(self.officer, path, "post", {"to": "accepted", "version": self.version()})
        assert illegal.status_code == 409 and illegal.json()["error"]["code"] == "illegal_transition"

    def test_a_photo_is_served_only_to_those_who_may_read_the_grave(self):
        self.client.force_login(self.crew)
        sent = self.client.post(f"/cemeteries/api/graves/{self.grave.uuid}/photos/",
                                {"image": b.png(), "role": "road", "heading": "90"})
        assert sent.status_code == 201
        photo_url = sent.json()["url"]
        got = self.client.get(photo_url)
        assert got.status_code == 200 and got["Content-Type"] == "image/png"
        assert got["X-Content-Type-Options"] == "nosniff"
        self.client.force_login(self.ruian)
        assert self.client.get(photo_url).status_code == 404
        self.client.logout()
        assert self.client.get(photo_url).status_code in (302, 401, 403, 404)
        self.client.force_login(self.crew)
        html = self.client.post(f"/cemeteries/api/graves/{self.grave.uuid}/photos/",
                                {"image": b.png("x.png").__class__("x.png", b"<html>hi</html>"), "role": "road"})
        assert html.status_code == 400 and html.json()["error"]["code"] == "unsupported_file_type"

    def test_a_photo_taken_at_a_moment_that_never_was_is_refused_and_not_kept(self):
        self.client.force_login(self.crew)
        for moment in ("2026-02-30T10:00:00+08:00", "2026-13-01T10:00", "yesterday"):
            sent = self.client.post(f"/cemeteries/api/graves/{self.grave.uuid}/photos/",
                                    {"image": b.png(), "role": "road", "taken_at": moment})
            assert sent.status_code == 400 and sent.json()["error"]["where"]["field"] == "taken_at", moment
        assert not self.grave.photos.exists()

    def test_hostile_inputs_get_a_clear_4xx(self):
        path = f"{self.grave.uuid}/"
        v = self.version()
        cases = [
            ("", "post", "{not json"),
            ("", "post", "[1, 2]"),
            ("", "post", {"lon": 999, "lat": 28}),
            ("", "post", {"geom": {"type": "Point", "coordinates": ["a", "b"]}}),
            ("", "post", {"geom": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}}),
            ("", "post", {"lon": 120.6, "lat": 28.0, "tomb_count": 10**30}),
            ("", "post", {"lon": 120.6, "lat": 28.0, "owner_name": "a\x00b"}),
            ("", "post", {"lon": 120.6, "lat": 28.0, "grade": {"x": 1}}),
            ("", "post", {"lon": 120.6, "lat": 28.0, "protected": {"x": 1}}),
            ("", "post", {"lon": 120.6, "lat": 28.0, "surprise": 1}),
            (path, "patch", {"note": "x" * 100_000, "version": v}),
            (path, "patch", {"version": "abc"}),
            (path + "steps/", "post", {"to": "nowhere", "version": v}),
            (path + "steps/", "post", {"to": ["checked"], "version": v}),
            (path + "steps/", "post", {"to": "checked", "remarks": "\x00", "version": v}),
            (path + "steps/", "post", {"to": "checked", "photos": "all", "version": v}),
            (path + "steps/", "post", {"to": "checked", "photos": ["not-a-uuid"], "version": v}),
            (path + "steps/", "post", {"to": "checked", "version": 10**40}),
            (path + "crew/", "post", {"usernames": "crew_a", "version": v}),
            (path + "steps/", "post", {"recheck": "yes", "version": v}),
        ]
        for sub, method, body in cases:
            response = self.api(self.officer, sub, method, body)
            assert 400 <= response.status_code < 500, (sub, body, response.status_code, response.content[:300])
            assert OWNER not in response.content.decode()
        self.client.logout()
        assert self.client.get("/cemeteries/api/graves/").status_code in (401, 403)
        for params in ({"page": "abc"}, {"page_size": "100000"}, {"area": "x" * 50}, {"state": "\x00"}):
            assert self.api(self.officer, data=params).status_code == 400, params
        assert self.version() == v

    def test_a_crew_registers_a_grave_it_found_and_keeps_seeing_it(self):
        lon, lat = at(500, 900).coords
        made = self.api(self.bystander, "", "post", {"lon": lon, "lat": lat, "form": "chair", "tomb_count": 2,
                                                     "owner_name": "赵六"})
        assert made.status_code == 201 and made.json()["township"] == "藤桥镇"
        assert made.json()["owner_name"] == "赵六"
        outside = self.api(self.bystander, "", "post", {"lon": at(20000, 0).x, "lat": at(20000, 0).y})
        assert outside.status_code == 403 and RUIAN not in outside.json()["error"]["message"]
