"""Tags against hand-made geometries (metres from an origin in 鹿城区, EPSG:4549): an expressway along y = 0 with its
200 m band, a national road along x = 4,000 with its 100 m band, a farmland box (-500..500, 100..400)."""

from django.test import TestCase, override_settings

from cemeteries import services, tagging
from cemeteries.models import CorridorBand, Grave, GraveTag, Zone, ZoneKind
from tests.base import lucheng_officer
from tests.cemeteries.builders import at, box, grave_at, known_corridors, known_geography


def tags(grave):
    return {(t.corridor.name if t.corridor_id else t.zone.name): (round(t.distance_m), t.inside)
            for t in GraveTag.objects.filter(grave=grave).select_related("corridor", "zone")}


class TaggingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        known_geography()
        officer = lucheng_officer()
        expressway, national = known_corridors()
        farmland = Zone.objects.create(name="上岙基本农田", kind=ZoneKind.FARMLAND, geom=box(-500, 100, 500, 400))
        graves = {
            "band": grave_at(0, 150, officer),  # 150 m from the expressway: inside its band and in the farmland
            "beyond": grave_at(0, 250, officer),  # 250 m: outside the band, still in the farmland
            "national": grave_at(4050, 500, officer),  # 50 m from the national road; 500 m from the expressway
            "far": grave_at(1000, 3000, officer),  # more than 1,000 m from both roads, in no zone
        }
        cls.w = {"officer": officer, "expressway": expressway, "national": national, "farmland": farmland, **graves}

    def test_a_grave_is_tagged_with_the_bands_and_zones_it_lies_in_and_its_distance_to_each_near_road(self):
        # SELECT ... FROM corridor c JOIN grave g ON ST_DWithin(g.geom_4549, c.geom_4549, GREATEST(band, 1000))
        assert tags(self.w["band"]) == {"甬台温高速": (150, True), "上岙基本农田": (0, True)}
        assert tags(self.w["beyond"]) == {"甬台温高速": (250, False), "上岙基本农田": (0, True)}
        assert tags(self.w["national"]) == {"104国道": (50, True), "甬台温高速": (500, False)}
        assert tags(self.w["far"]) == {}
        assert set(Grave.objects.in_corridor(self.w["expressway"])) == {self.w["band"]}
        assert set(Grave.objects.in_zone(self.w["farmland"])) == {self.w["band"], self.w["beyond"]}

    def test_a_wider_band_on_the_corridor_retags_its_graves(self):
        self.w["expressway"].buffer_m = 300
        self.w["expressway"].save()

        assert tags(self.w["beyond"])["甬台温高速"] == (250, True)

    def test_the_default_band_widths_come_from_settings(self):
        with override_settings(CEMETERIES_BAND_M={"expressway": 260}):
            tagging.retag_all()

        assert tags(self.w["beyond"])["甬台温高速"] == (250, True)
        assert tags(self.w["national"])["104国道"] == (50, True)

    def test_a_moved_zone_retags_its_graves(self):
        self.w["farmland"].geom = box(3900, 400, 4200, 600)
        self.w["farmland"].save()

        assert "上岙基本农田" not in tags(self.w["band"])
        assert tags(self.w["national"])["上岙基本农田"] == (0, True)

    def test_a_moved_grave_takes_the_tags_of_its_new_place(self):
        services.update_grave(self.w["far"], self.w["officer"], {"geom": at(3980, 1000)}, version=1)

        assert tags(self.w["far"]) == {"104国道": (20, True)}

    def test_the_band_is_kept_as_a_polygon_for_the_map(self):
        band = CorridorBand.objects.get(corridor=self.w["expressway"]).geom
        assert band.srid == 4490 and band.contains(at(0, 190)) and not band.contains(at(0, 210))
