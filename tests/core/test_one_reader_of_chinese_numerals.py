"""core.numerals: the one reader of Chinese numerals, for street ordinals (placenames) and house numbers."""

import pytest

from core.numerals import cardinal, int_to_cn, numeral_value


@pytest.mark.parametrize(("text", "value"), [("五", 5), ("十", 10), ("十二", 12), ("二十三", 23), ("一百零五", 105),
                                             ("一百一十二", 112), ("两千", 2000), ("一千零一十", 1010)])
def test_a_well_formed_cardinal_has_its_value(text, value):
    assert cardinal(text) == value


@pytest.mark.parametrize("text", ["三八", "五一", "一百五", "一百零", "十百", "零", "一百十", "88", "路", ""])
def test_digit_strings_spoken_shortcuts_and_nonsense_are_no_cardinal(text):
    assert cardinal(text) is None


def test_a_house_number_may_also_be_arabic_or_read_digit_by_digit():
    assert (numeral_value("88"), numeral_value("一二三"), numeral_value("八十八"), numeral_value("号")) == (88, 123, 88, None)


def test_every_number_written_reads_back():
    assert all(numeral_value(int_to_cn(n)) == n for n in range(0, 1000))


@pytest.mark.parametrize("text", ["①", "²", "⑽", "¹²"])
def test_digits_that_are_no_decimal_digits_are_no_number(text):
    assert numeral_value(text) is None  # str.isdigit holds for them, int() refuses them


def test_fullwidth_digits_read_as_the_number_they_are():
    assert numeral_value("３") == 3
