"""Free-text addresses split into components in the official order and assemble back to the standard form."""

import pytest

from doorplates.addresses import HouseNumber, format_address, parse_address

pytestmark = pytest.mark.django_db

FULL = "浙江省温州市鹿城区五马街道解放街88号"

# (as typed, the standard address it means)
VARIANTS = [
    (FULL, FULL),
    ("温州市鹿城区五马街道解放街88号", "温州市鹿城区五马街道解放街88号"),
    ("鹿城区五马街道解放街88号", "鹿城区五马街道解放街88号"),
    ("五马街道解放街88号", "五马街道解放街88号"),
    ("解放街88号", "解放街88号"),
    ("解放街88", "解放街88号"),
    ("浙江温州鹿城区五马街道解放街88号", FULL),
    ("浙江省 温州市 鹿城区 五马街道 解放街 88号", FULL),
    ("浙江省温州市鹿城五马解放街88号", FULL),
    ("浙江省温州市鹿城区五马街道解放街８８号", FULL),
    ("浙江省温州市鹿城区五马街道解放街八十八号", FULL),
    ("浙江省温州市鹿城区五马街道解放街88#", FULL),
    ("浙江省温州市鹿城区五马街道解放街88号", FULL),
    ("浙江省温州市鹿城区五马街道解放街88-1号", "浙江省温州市鹿城区五马街道解放街88-1号"),
    ("浙江省温州市鹿城区五马街道解放街88－1号", "浙江省温州市鹿城区五马街道解放街88-1号"),
    ("浙江省温州市鹿城区五马街道解放街88号-1", "浙江省温州市鹿城区五马街道解放街88-1号"),
    ("浙江省温州市鹿城区五马街道解放街88号之一", "浙江省温州市鹿城区五马街道解放街88号之一"),
    ("浙江省温州市鹿城区五马街道解放街八十八号之一", "浙江省温州市鹿城区五马街道解放街88号之一"),
    ("解放街88之一", "解放街88号之一"),
    ("解放街88号之十二", "解放街88号之十二"),
    ("浙江省温州市鹿城区五马街道解放街附88号", "浙江省温州市鹿城区五马街道解放街附88号"),
    ("解放街一百零八号", "解放街108号"),
    ("解放街十号", "解放街10号"),
    ("解放街一二三号", "解放街123号"),
    ("浙江省温州市鹿城区五马街道解放街88号1幢", "浙江省温州市鹿城区五马街道解放街88号1幢"),
    ("解放街88号1栋", "解放街88号1幢"),
    ("解放街88号1号楼", "解放街88号1幢"),
    ("解放街88号一幢二单元", "解放街88号1幢2单元"),
    ("解放街88号1幢2单元501室", "解放街88号1幢2单元501室"),
    ("解放街88号1幢2单元501", "解放街88号1幢2单元501室"),
    ("解放街88号501室", "解放街88号501室"),
    ("解放街88号A幢", "解放街88号A幢"),
    ("瑞安市安阳街道人民东路5号", "瑞安市安阳街道人民东路5号"),
    ("温州市瑞安市安阳街道人民东路5号", "温州市瑞安市安阳街道人民东路5号"),
    ("浙江省温州市龙港市人民路5号", "浙江省温州市龙港市人民路5号"),
    ("泰顺县罗阳镇经五路八号", "泰顺县罗阳镇经五路8号"),
    ("鹿城区人民3号路12号", "鹿城区人民3号路12号"),
    ("鹿城区温瑞大道99号", "鹿城区温瑞大道99号"),
    ("鹿城区纱帽河巷2号", "鹿城区纱帽河巷2号"),
    ("鹿城区鹿城路1号", "鹿城区鹿城路1号"),
]


def test_each_variant_reads_as_its_standard_address(wenzhou_counties):
    # One database for all variants (building the demo areas is the slow part); every mismatch is listed.
    read = {typed: (parse_address(typed).standard, parse_address(typed).rest) for typed, _standard in VARIANTS}
    wrong = {typed: read[typed] for typed, standard in VARIANTS if read[typed] != (standard, "")}
    assert len(VARIANTS) >= 30
    assert wrong == {}


def test_the_standard_address_parses_back_to_itself(wenzhou_counties):
    wrong = {standard: parse_address(standard).standard for _typed, standard in VARIANTS
             if parse_address(standard).standard != standard}
    assert wrong == {}


def test_components_come_out_in_their_fields(wenzhou_counties):
    parsed = parse_address("温州鹿城区五马街道解放街八十八号之一3幢2单元1201室")
    assert (parsed.province, parsed.city, parsed.county, parsed.township) == ("", "温州市", "鹿城区", "五马街道")
    assert parsed.road == "解放街"
    assert parsed.number == HouseNumber(88, 1, "zhi")
    assert (parsed.building, parsed.unit, parsed.room) == ("3", "2", "1201")
    assert parsed.area_codes["county"] == "330302"


def test_a_township_alone_names_its_county_and_city(wenzhou_counties):
    parsed = parse_address("五马街道解放街88号")
    assert parsed.area_codes == {"township": "330302006", "county": "330302", "city": "330300",
                                 "province": "330000"}


def test_a_county_of_another_city_is_not_recognised(wenzhou_counties):
    parsed = parse_address("杭州市西湖区解放街88号")
    assert parsed.county == ""
    assert parsed.road != "解放街"  # the unknown prefix stays part of what was read as the road


def test_text_that_is_not_an_address_is_kept_unread(wenzhou_counties):
    parsed = parse_address("鹿城区这里没有门牌")
    assert parsed.county == "鹿城区"
    assert parsed.number is None
    assert parsed.rest == "这里没有门牌"


def test_format_address_writes_the_official_order():
    assert format_address("浙江省", "温州市", "鹿城区", "五马街道", "解放街", HouseNumber(88, 1, "dash"),
                          "1", "2", "501") == "浙江省温州市鹿城区五马街道解放街88-1号1幢2单元501室"
