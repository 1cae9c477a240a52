"""One test per rule code: the rule finds the problem, with its severity, and stays quiet on a clean name."""

import pytest
from django.contrib.gis.geos import Point

from placenames.models import NamingWord, PlaceKind, PlaceStatus
from placenames.pinyin import split_name
from placenames.rules import EXPLANATIONS, RULES, Proposal, check
from tests.placenames.builders import line_in, place

pytestmark = pytest.mark.django_db


def proposal(name, kind="road", county="330302", specific=None, generic=None, geometry_type="LineString", **kw):
    if specific is None and generic is None:
        specific, generic = split_name(name)
    return Proposal(name=name, specific=specific, generic=generic, kind=PlaceKind.objects.get(code=kind),
                    county_prefix=county, geometry_type=geometry_type, **kw)


def codes(findings):
    return {(f.code, f.severity) for f in findings}


def test_a_clean_road_name_has_no_finding(wenzhou_counties):
    assert check(proposal("望海路")) == []


def test_every_rule_code_is_explained():
    assert set(RULES) <= set(EXPLANATIONS)


def test_duplicate_name_in_the_same_county_is_an_error(wenzhou_counties):
    existing = place("解放路")
    findings = check(proposal("解放路"))
    assert ("duplicate_name", "error") in codes(findings)
    evidence = next(f for f in findings if f.code == "duplicate_name").evidence
    assert evidence["places"][0]["uuid"] == str(existing.uuid)


def test_the_same_name_in_another_county_is_no_duplicate(wenzhou_counties):
    place("解放路", county="330381")
    assert check(proposal("解放路")) == []


def test_a_retired_name_is_no_duplicate(wenzhou_counties):
    place("解放路", status=PlaceStatus.RETIRED)
    assert check(proposal("解放路")) == []


def test_a_renamed_place_is_no_duplicate_of_itself(wenzhou_counties):
    road = place("解放路")
    findings = check(proposal("解放路", place_uuid=road.uuid))
    assert "duplicate_name" not in {f.code for f in findings}


def test_homophone_in_the_same_county_is_a_warning(wenzhou_counties):
    place("解放路")
    findings = check(proposal("介放路"))
    assert codes(findings) == {("homophone", "warning")}
    assert "解放路" in findings[0].message
    assert findings[0].evidence["pinyin_key"] == "jiefanglu"


def test_homophone_in_another_county_is_not_reported(wenzhou_counties):
    place("解放路", county="330381")
    assert check(proposal("介放路")) == []


def test_foreign_place_name_is_an_error(wenzhou_counties):
    assert ("foreign_name", "error") in codes(check(proposal("曼哈顿路")))


def test_enterprise_name_is_an_error(wenzhou_counties):
    assert ("enterprise_name", "error") in codes(check(proposal("万达路")))


def test_leader_name_is_an_error(wenzhou_counties):
    assert ("leader_name", "error") in codes(check(proposal("邓小平路")))


def test_grandiose_word_is_a_warning(wenzhou_counties):
    found = codes(check(proposal("环球大厦", kind="building", geometry_type="Point")))
    assert found == {("grandiose_word", "warning")}


def test_a_word_the_bureau_adds_to_a_list_is_found(wenzhou_counties):
    assert check(proposal("鹿鸣路")) == []
    NamingWord.objects.create(category="enterprise", word="鹿鸣", severity="error")
    assert ("enterprise_name", "error") in codes(check(proposal("鹿鸣路")))


def test_a_residential_area_named_like_a_road_is_a_generic_mismatch(wenzhou_counties):
    found = codes(check(proposal("幸福路", kind="residential", geometry_type="Polygon")))
    assert found == {("generic_mismatch", "error")}


def test_a_name_without_generic_term_is_a_generic_mismatch(wenzhou_counties):
    assert ("generic_mismatch", "error") in codes(check(proposal("幸福", specific="幸福", generic="")))


def test_latin_letters_are_an_error(wenzhou_counties):
    assert ("latin_letters", "error") in codes(check(proposal("CBD路")))


def test_full_width_latin_letters_are_an_error_too(wenzhou_counties):
    assert ("latin_letters", "error") in codes(check(proposal("ＣＢＤ路")))


def test_arabic_digits_are_an_error(wenzhou_counties):
    assert ("digits", "error") in codes(check(proposal("经5路", specific="经", generic="5路")))


def test_chinese_ordinals_are_fine(wenzhou_counties):
    assert check(proposal("经五路")) == []


def test_punctuation_and_spaces_are_an_error(wenzhou_counties):
    assert ("invalid_character", "error") in codes(check(proposal("幸福·路", specific="幸福·", generic="路")))


def test_a_rare_character_is_a_warning(wenzhou_counties):
    found = check(proposal("犇腾路"))  # 犇 is outside GB 2312
    assert codes(found) == {("rare_character", "warning")}
    assert found[0].evidence["characters"] == ["犇"]


def test_a_local_character_on_the_bureau_list_is_not_rare(wenzhou_counties):
    assert check(proposal("上垟路")) == []  # 垟 is seeded as a Wenzhou character


def test_a_compatibility_variant_character_is_an_error(wenzhou_counties):
    name = "\uf9d1路"  # CJK COMPATIBILITY IDEOGRAPH-F9D1, a variant of 六
    assert ("variant_character", "error") in codes(check(proposal(name, specific="\uf9d1", generic="路")))


def test_empty_specific_term_is_an_error(wenzhou_counties):
    assert ("empty_specific", "error") in codes(check(proposal("路", specific="", generic="路")))


def test_a_split_that_does_not_add_up_is_an_error(wenzhou_counties):
    assert ("split_mismatch", "error") in codes(check(proposal("望海路", specific="望江", generic="路")))


def test_an_over_long_name_is_an_error(wenzhou_counties, settings):
    settings.PLACENAMES_MAX_NAME_LENGTH = 6
    assert ("too_long", "error") in codes(check(proposal("东海岸风光带观景路")))
    assert check(proposal("望海路")) == []


def test_a_road_drawn_as_a_point_is_a_geometry_mismatch(wenzhou_counties):
    assert ("geometry_mismatch", "error") in codes(check(proposal("望海路", geometry_type="Point")))


def test_renaming_to_the_current_name_is_an_error(wenzhou_counties):
    road = place("解放路", geom=line_in())
    found = check(proposal("解放路", place_uuid=road.uuid, current_name="解放路"))
    assert ("unchanged_name", "error") in codes(found)


def test_errors_come_before_warnings(wenzhou_counties):
    place("解放路")
    found = check(proposal("介放CBD路", specific="介放CBD", generic="路"))
    severities = [f.severity for f in found]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert "error" in severities


def test_a_point_geometry_is_accepted_for_a_building(wenzhou_counties):
    found = check(proposal("望海大厦", kind="building", geometry_type=Point(0, 0).geom_type))
    assert found == []
