"""CSV importers turn two cells into a (lon, lat) pair, with messages naming the row, the column and the value."""

import pytest

from gis.errors import InputError
from gis.intake import parse_lonlat


def test_two_decimal_cells_give_a_pair():
    assert parse_lonlat(" 120.7 ", "28.0") == (120.7, 28.0)


def test_full_width_digits_from_chinese_spreadsheets_are_read():
    assert parse_lonlat("１２０．７", "２８") == (120.7, 28.0)


def test_a_latitude_of_128_3_is_refused_with_row_and_column():
    with pytest.raises(InputError) as caught:
        parse_lonlat("120.7", "128.3", row=17)
    error = caught.value
    assert error.code == "out_of_range"
    assert str(error.message) == "128.3 不是有效的纬度"
    assert error.where == {"row": 17, "field": "lat", "value": "128.3"}
    assert error.hint is None


def test_swapped_cells_get_a_hint():
    with pytest.raises(InputError) as caught:
        parse_lonlat("28.0", "120.7", lon_field="经度", lat_field="纬度")
    assert caught.value.where == {"field": "纬度", "value": "120.7"}
    assert str(caught.value.hint) == "经度和纬度可能填反了"


def test_a_longitude_beyond_180_is_refused():
    with pytest.raises(InputError) as caught:
        parse_lonlat("190", "28")
    assert str(caught.value.message) == "190 不是有效的经度"


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "120,7"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(InputError) as caught:
        parse_lonlat(text, "28.0")
    assert caught.value.code == "not_a_number"
    assert str(caught.value.message) == f"{text} 不是有效的经度"


@pytest.mark.parametrize("text", ["", "  ", None])
def test_an_empty_cell_is_refused(text):
    with pytest.raises(InputError) as caught:
        parse_lonlat("120.7", text)
    assert caught.value.code == "missing_value" and str(caught.value.message) == "纬度为空"
