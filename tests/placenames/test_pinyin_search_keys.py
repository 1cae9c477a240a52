"""Pinyin keys: homophone detection (地名管理条例 art. 9: avoid homophones in one built-up area) and search."""

import pytest

from gis.errors import InputError
from placenames.pinyin import initials_key, pinyin_key, syllables


def test_the_key_is_toneless_lowercase_pinyin_without_spaces():
    assert pinyin_key("解放路") == "jiefanglu"
    assert pinyin_key("人民东路") == "renmindonglu"


def test_homophones_share_a_key():
    assert pinyin_key("解放路") == pinyin_key("介放路")
    assert pinyin_key("鹿城路") == pinyin_key("路程路")


def test_names_that_sound_different_have_different_keys():
    assert pinyin_key("解放路") != pinyin_key("人民路")
    assert pinyin_key("解放路") != pinyin_key("解放街")


def test_tones_are_ignored_so_names_differing_only_in_tone_collide():
    # 西安 xī'ān and 先 xiān, 山西 and 陕西: the key drops tones and the apostrophe, as a search box does.
    assert pinyin_key("西安路") == pinyin_key("先路")
    assert pinyin_key("山西路") == pinyin_key("陕西路")


def test_polyphones_are_read_as_the_place_is_read():
    assert pinyin_key("乐清路") == "yueqinglu"
    assert pinyin_key("乐清路") == pinyin_key("岳清路")
    assert pinyin_key("乐清路") != pinyin_key("勒清路")
    assert pinyin_key("七都路") == "qidulu"
    assert pinyin_key("蚌埠路") == "bengbulu"


def test_a_generic_term_is_read_as_the_generic():
    assert pinyin_key("第九弄") == "dijiulong"


def test_u_umlaut_is_written_v_and_kept_apart_from_u():
    assert pinyin_key("绿洲路") == "lvzhoulu"
    assert pinyin_key("绿洲路") != pinyin_key("陆洲路")
    assert pinyin_key("下吕浦") == "xialvpu"


def test_arabic_and_chinese_numerals_give_the_same_key():
    assert pinyin_key("经5路") == pinyin_key("经五路") == "jingwulu"
    assert pinyin_key("经12路") == pinyin_key("经十二路") == "jingshierlu"
    assert pinyin_key("纬105路") == pinyin_key("纬一百零五路")
    assert pinyin_key("纬20路") == pinyin_key("纬二十路")


def test_a_long_number_is_read_digit_by_digit():
    assert pinyin_key("1203高地") == "yierlingsangaodi"


def test_full_width_characters_spaces_and_punctuation_do_not_change_the_key():
    assert pinyin_key("经１２路") == pinyin_key("经12路")
    assert pinyin_key(" 解放 · 路 ") == pinyin_key("解放路")


def test_latin_letters_are_kept_lowercased():
    assert pinyin_key("A区") == "aqu"


def test_a_minority_language_name_is_keyed_by_its_mandarin_reading():
    # 吐鲁番 is romanized Turpan, but homophone search compares Mandarin readings.
    assert pinyin_key("吐鲁番路") == "tulufanlu"


def test_initials_take_the_first_letter_of_each_syllable():
    assert initials_key("解放路") == "jfl"
    assert initials_key("人民东路") == "rmdl"
    assert initials_key("瑞安市") == "ras"
    assert initials_key("乐清市") == "yqs"


def test_initials_of_zh_ch_sh_are_their_first_letter():
    assert initials_key("中山路") == "zsl"
    assert initials_key("车站大道") == "czdd"
    assert initials_key("世纪广场") == "sjgc"


def test_initials_of_arabic_and_chinese_numerals_agree():
    assert initials_key("经5路") == initials_key("经五路") == "jwl"


def test_syllables_give_one_reading_per_character():
    assert syllables("乐清市") == ["yue", "qing", "shi"]
    assert syllables("下吕浦") == ["xia", "lü", "pu"]
    assert syllables("瑞安") == ["rui", "an"]


def test_a_character_without_a_reading_is_an_input_error():
    with pytest.raises(InputError) as caught:
        pinyin_key("解放𡌶路")
    assert caught.value.where["character"] == "𡌶"
