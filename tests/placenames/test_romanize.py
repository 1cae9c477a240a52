"""Romanization of place names (地名罗马字母拼写).

"1984 art. N" is an article of 中国地名汉语拼音字母拼写规则（汉语地名部分）, (84)中地字第17号; names marked
(1984) are that article's own examples. Wenzhou names are from the city's districts, counties, towns and
streets (GB/T 2260 330300).
"""

import pytest

from gis.errors import InputError
from placenames.pinyin import DICTIONARY_PATH, Lexicon, romanize, split_name

ROMANIZATIONS = [
    # name, expected, rule
    # Specific and generic apart, each capitalised
    ("解放路", "Jiefang Lu", "1984 art. 1 specific and generic apart; art. 10 each part capitalised"),
    ("解放街", "Jiefang Jie", "1984 art. 1 (鹿城)"),
    ("信河街", "Xinhe Jie", "1984 art. 1 (鹿城)"),
    ("府前街", "Fuqian Jie", "1984 art. 1 (鹿城)"),
    ("朔门街", "Shuomen Jie", "1984 art. 1 (鹿城)"),
    ("蝉街", "Chan Jie", "1984 art. 1: a one-syllable specific stays apart, as 通县 Tong Xian (1984)"),
    ("太湖", "Tai Hu", "1984 art. 1 (1984)"),
    ("珠江", "Zhu Jiang", "1984 art. 1 and art. 10 (1984)"),
    ("大马路", "Dama Lu", "1984 art. 1: 马路 is not a generic without an ordinal (1984)"),
    ("世纪广场", "Shiji Guangchang", "1984 art. 1; GB/T 38207-2019 generic 广场 (鹿城)"),
    ("雁荡山", "Yandang Shan", "1984 art. 1 (乐清)"),
    ("楠溪江", "Nanxi Jiang", "1984 art. 1 (永嘉)"),
    ("江心屿", "Jiangxin Yu", "1984 art. 1 (鹿城)"),
    ("水心住宅区", "Shuixin Zhuzhaiqu", "1984 art. 1, residential area (鹿城)"),
    # Administrative generic terms: 市 Shi, 区 Qu, 县 Xian, 镇 Zhen, 街道 Jiedao
    ("温州市", "Wenzhou Shi", "1984 art. 1, administrative generic 市"),
    ("鹿城区", "Lucheng Qu", "1984 art. 1, administrative generic 区"),
    ("龙湾区", "Longwan Qu", "1984 art. 1, administrative generic 区"),
    ("瓯海区", "Ouhai Qu", "1984 art. 1, administrative generic 区"),
    ("洞头区", "Dongtou Qu", "1984 art. 1, administrative generic 区"),
    ("永嘉县", "Yongjia Xian", "1984 art. 1, administrative generic 县"),
    ("平阳县", "Pingyang Xian", "1984 art. 1, administrative generic 县"),
    ("苍南县", "Cangnan Xian", "1984 art. 1, administrative generic 县"),
    ("文成县", "Wencheng Xian", "1984 art. 1, administrative generic 县"),
    ("泰顺县", "Taishun Xian", "1984 art. 1, administrative generic 县"),
    ("龙港市", "Longgang Shi", "1984 art. 1, administrative generic 市"),
    ("浙江省", "Zhejiang Sheng", "1984 art. 1, administrative generic 省"),
    ("塘下镇", "Tangxia Zhen", "1984 art. 1; 下 stays in the specific of an administrative name (瑞安)"),
    ("大峃镇", "Daxue Zhen", "1984 art. 1; 峃 xué (文成)"),
    ("五马街道", "Wuma Jiedao", "1984 art. 1, administrative generic 街道; art. 6 numeral in the name"),
    # Single-syllable modifiers join what they modify
    ("人民东路", "Renmin Donglu", "1984 art. 2: single-syllable modifier joins the generic (鹿城)"),
    ("人民西路", "Renmin Xilu", "1984 art. 2 (鹿城)"),
    ("学院中路", "Xueyuan Zhonglu", "1984 art. 2 (鹿城)"),
    ("解放北路", "Jiefang Beilu", "1984 art. 2"),
    ("马鞍池东路", "Ma'anchi Donglu", "1984 art. 2 and art. 11 (鹿城)"),
    ("车站大道", "Chezhan Dadao", "1984 art. 1 and art. 2: 大 joins 道 (鹿城)"),
    ("温州大道", "Wenzhou Dadao", "1984 art. 2 (鹿城, 龙湾)"),
    ("温州大桥", "Wenzhou Daqiao", "1984 art. 2: 大 joins 桥"),
    ("景山后街", "Jingshan Houjie", "1984 art. 2 (1984)"),
    ("修文西小巷", "Xiuwen Xixiaoxiang", "1984 art. 2: two single-syllable modifiers (1984)"),
    ("南横东街", "Nanheng Dongjie", "1984 art. 2 (1984)"),
    ("清波门直街", "Qingbomen Zhijie", "1984 art. 2 (1984)"),
    ("南小街", "Nan Xiaojie", "1984 art. 2: the one-syllable specific stays apart (1984)"),
    ("小南街", "Xiao Nanjie", "1984 art. 2 (1984)"),
    ("朝阳门内大街", "Chaoyangmennei Dajie", "1984 art. 2: 内 follows what it qualifies; art. 8 朝 cháo (1984)"),
    ("东直门外南后街", "Dongzhimenwai Nanhoujie", "1984 art. 2 (1984)"),
    ("西辽河", "Xiliao He", "1984 art. 2: modifier of the specific joins the specific (1984)"),
    ("潮白新河", "Chaobai Xinhe", "1984 art. 2 (1984)"),
    ("北雁荡山", "Beiyandang Shan", "1984 art. 2 (1984)"),
    ("江南路", "Jiangnan Lu", "1984 art. 2: 江南 is a two-syllable specific, 南 does not move"),
    # Generic terms that became part of a name
    ("瓯江路", "Oujiang Lu", "1984 art. 4: 江 inside the specific (鹿城)"),
    ("公园路", "Gongyuan Lu", "1984 art. 4: 公园 inside the specific (鹿城)"),
    ("解放路南小街", "Jiefanglu Nanxiaojie", "1984 art. 4 (1984)"),
    ("黑龙江省", "Heilongjiang Sheng", "1984 art. 4 (1984)"),
    ("景德镇市", "Jingdezhen Shi", "1984 art. 4 (1984)"),
    ("柳市镇", "Liushi Zhen", "1984 art. 4: 市 inside the specific (乐清)"),
    ("鳌江镇", "Aojiang Zhen", "1984 art. 4: 江 inside the specific (平阳)"),
    ("县前头", "Xianqiantou", "1984 art. 3/4: no generic term, one word (鹿城)"),
    ("三门峡市", "Sanmenxia Shi", "1984 art. 4 and art. 6"),
    # Numerals: pinyin in names, Arabic in street ordinals
    ("五马街", "Wuma Jie", "1984 art. 6: the numeral is part of the name (鹿城)"),
    ("九山路", "Jiushan Lu", "1984 art. 6 (鹿城)"),
    ("三门峡", "Sanmen Xia", "1984 art. 6 (1984)"),
    ("二道沟", "Erdao Gou", "1984 art. 6 (1984)"),
    ("三八路", "Sanba Lu", "1984 art. 6: a date, not an ordinal (1984)"),
    ("五一广场", "Wuyi Guangchang", "1984 art. 6 (1984)"),
    ("八角场东街", "Bajiaochang Dongjie", "1984 art. 6 and art. 2 (1984)"),
    ("第六屯", "Diliutun", "1984 art. 6 (1984)"),
    ("第二松花江", "Di'er Songhua Jiang", "1984 art. 6 and art. 2: two-syllable modifier apart (1984)"),
    ("经五路", "Jing 5 Lu", "1984 art. 7: street ordinal in Arabic digits (1984)"),
    ("纬三路", "Wei 3 Lu", "1984 art. 7: series prefix 纬"),
    ("经十二路", "Jing 12 Lu", "1984 art. 7"),
    ("东四十二条", "Dongsi 12 Tiao", "1984 art. 7 (1984)"),
    ("大川淀一巷", "Dachuandian 1 Xiang", "1984 art. 7 (1984)"),
    ("第九弄", "Di-9 Long", "1984 art. 7: 第 joined by a hyphen, 弄 lòng (1984)"),
    ("二马路", "2 Malu", "1984 art. 7 (1984)"),
    ("三环路", "3 Huanlu", "1984 art. 7 (1984)"),
    ("二环路", "2 Huanlu", "1984 art. 7, as 三环路 3 Huanlu"),
    ("1203高地", "1203 Gaodi", "1984 art. 7: codes stay Arabic (1984)"),
    # Apostrophe
    ("西安", "Xi'an", "1984 art. 11 (1984)"),
    ("建瓯", "Jian'ou", "1984 art. 11 (1984)"),
    ("天峨", "Tian'e", "1984 art. 11 (1984)"),
    ("瑞安市", "Rui'an Shi", "1984 art. 11"),
    ("北岙街道", "Bei'ao Jiedao", "1984 art. 11; 岙 ào (洞头)"),
    ("长安街", "Chang'an Jie", "1984 art. 11; art. 8 长 cháng"),
    # Polyphones and dialect characters, read as the place is read
    ("乐清市", "Yueqing Shi", "1984 art. 8: 乐 yuè, not lè"),
    ("乐成街道", "Yuecheng Jiedao", "1984 art. 8: 乐 yuè (乐清)"),
    ("七都街道", "Qidu Jiedao", "1984 art. 8: 都 dū, not dōu (鹿城)"),
    ("莘塍街道", "Shencheng Jiedao", "1984 art. 8: 莘 shēn (瑞安)"),
    ("翁垟街道", "Wengyang Jiedao", "1984 art. 8: dialect character 垟 yáng (乐清)"),
    ("六安", "Lu'an", "1984 art. 8: 六 lù; art. 11"),
    ("蚌埠", "Bengbu", "1984 art. 8: 蚌 bèng"),
    ("丽水", "Lishui", "1984 art. 8: 丽 lí"),
    ("重庆市", "Chongqing Shi", "1984 art. 8: 重 chóng"),
    ("厦门市", "Xiamen Shi", "1984 art. 8: 厦 xià"),
    ("番禺区", "Panyu Qu", "1984 art. 8: 番 pān"),
    ("会稽山", "Kuaiji Shan", "1984 art. 8: 会 kuài"),
    ("台州市", "Taizhou Shi", "1984 art. 8: 台 tāi"),
    ("铅山县", "Yanshan Xian", "1984 art. 8: 铅 yán"),
    ("单县", "Shan Xian", "1984 art. 8: 单 shàn; art. 1"),
    ("洪洞县", "Hongtong Xian", "1984 art. 8: 洞 tóng"),
    ("十里堡", "Shilipu", "1984 art. 8: 堡 pù (1984)"),
    ("大黄堡", "Dahuangbao", "1984 art. 8: 堡 bǎo (1984)"),
    ("吴堡", "Wubu", "1984 art. 8: 堡 bǔ (1984)"),
    ("东涌", "Dongchong", "1984 art. 8: 涌 chōng in Cantonese names; art. 4 one word"),
    ("下吕浦", "Xialüpu", "汉语拼音方案: ü kept after l (鹿城)"),
    # 儿化, special spellings, minority-language names
    ("盆儿胡同", "Penr Hutong", "1984 art. 12 (1984)"),
    ("陕西省", "Shaanxi Sheng", "official spelling Shaanxi, told apart from 山西 Shanxi"),
    ("吐鲁番市", "Turpan Shi", "少数民族语地名汉语拼音字母音译转写法 (1976), not Tulufan"),
]


@pytest.mark.parametrize(("name", "expected", "rule"), ROMANIZATIONS, ids=[row[0] for row in ROMANIZATIONS])
def test_a_place_name_is_romanized_by_the_rule_it_falls_under(name, expected, rule):
    assert romanize(name) == expected, rule


def test_the_table_covers_enough_real_names_and_each_cites_its_rule():
    assert len(ROMANIZATIONS) >= 40
    assert len({name for name, _expected, _rule in ROMANIZATIONS}) == len(ROMANIZATIONS)
    assert all(rule.strip() for _name, _expected, rule in ROMANIZATIONS)


def test_romanizations_carry_no_tone_marks_and_only_ascii_letters_besides_u_umlaut():
    for name, _expected, _rule in ROMANIZATIONS:
        assert all(c.isascii() or c == "ü" for c in romanize(name)), name


def test_every_word_starts_with_a_capital_or_a_digit():
    for name, _expected, _rule in ROMANIZATIONS:
        assert all(word[0].isupper() or word[0].isdigit() for word in romanize(name).split()), name


def test_numerals_inside_proper_names_stay_pinyin():
    assert romanize("五马街") == "Wuma Jie"
    assert romanize("三八路") == "Sanba Lu"
    assert romanize("五指山") == "Wuzhi Shan"
    assert romanize("九龙江") == "Jiulong Jiang"
    assert romanize("五一广场") == "Wuyi Guangchang"


def test_a_numeral_after_a_single_character_that_is_no_series_prefix_stays_pinyin():
    assert romanize("华一路") == "Huayi Lu"
    assert romanize("南一路") == "Nan 1 Lu"


def test_arabic_digits_in_the_name_give_the_same_romanization_as_chinese_numerals():
    assert romanize("经5路") == romanize("经五路") == "Jing 5 Lu"
    assert romanize("经１２路") == "Jing 12 Lu"


def test_a_run_of_digits_longer_than_any_number_is_written_as_it_stands():
    digits = "1" * 5000  # past the 4300 digits Python reads as a number: this raised
    assert romanize(f"经{digits}路") == f"Jing {digits} Lu"


def test_a_numbered_road_keeps_hao_apart_from_the_number():
    assert romanize("一号路") == "1 Hao Lu"


def test_a_one_word_dictionary_name_is_not_cut_at_a_generic_character():
    assert romanize("龙港") == "Longgang"
    assert romanize("瓯海") == "Ouhai"
    assert romanize("柳市") == "Liushi"


def test_a_full_name_override_is_returned_as_the_officer_wrote_it():
    assert romanize("百里坊") == "Baili Fang"
    assert romanize("百里坊", overrides={"百里坊": "Bailifang"}) == "Bailifang"


def test_an_override_beats_the_place_dictionary():
    assert romanize("乐清市", overrides={"乐清市": "Leqing Shi"}) == "Leqing Shi"
    assert romanize("乐清市", overrides={"乐": "le"}) == "Leqing Shi"


def test_an_override_of_a_character_run_keeps_it_in_one_word():
    assert romanize("大南路") == "Da Nanlu"
    assert romanize("大南路", overrides={"大南": "Danan"}) == "Danan Lu"


def test_an_override_key_is_matched_after_the_same_normalisation_as_the_name():
    assert romanize("解放路", overrides={" 解放路 ": "Jiefang Lu (officer)"}) == "Jiefang Lu (officer)"


def test_an_override_reading_of_the_generic_term_wins_over_the_generic_table():
    assert romanize("第九弄") == "Di-9 Long"
    assert romanize("第九弄", overrides={"弄": "nong"}) == "Di-9 Nong"


def test_a_caller_split_takes_the_place_of_the_guess():
    assert romanize("人民东路", specific="人民东", generic="路") == "Renmin Donglu"
    assert romanize("东四十二条", specific="东四", generic="十二条") == "Dongsi 12 Tiao"
    assert romanize("华一路", specific="华", generic="一路") == "Hua 1 Lu"
    assert romanize("江南路", specific="江", generic="南路") == "Jiang Nanlu"
    assert romanize("经五路", specific="经五") == "Jing 5 Lu"


def test_an_empty_generic_writes_a_natural_village_as_one_word():
    # 1984 art. 3: 王村 Wangcun, 江镇 Jiangzhen (1984); without the caller's word 村 is a generic term.
    assert romanize("王村") == "Wang Cun"
    assert romanize("王村", generic="") == "Wangcun"
    assert romanize("江镇", generic="") == "Jiangzhen"


def test_a_caller_split_that_does_not_make_up_the_name_is_rejected():
    with pytest.raises(InputError) as caught:
        romanize("解放路", specific="人民")
    assert caught.value.code == "name_split_mismatch"
    assert caught.value.where["name"] == "解放路"
    with pytest.raises(InputError):
        romanize("解放路", specific="解放", generic="街")


def test_a_character_without_a_reading_is_reported_with_its_position():
    with pytest.raises(InputError) as caught:
        romanize("解放𡌶路")
    assert caught.value.code == "no_pinyin_reading"
    assert caught.value.where == {"name": "解放𡌶路", "position": 3, "character": "𡌶"}


def test_an_empty_name_is_rejected():
    with pytest.raises(InputError):
        romanize(" ")


def test_spaces_and_punctuation_in_the_name_do_not_change_the_romanization():
    assert romanize(" 解放·路 ") == "Jiefang Lu"


SPLITS = [
    ("解放路", ("解放", "路")),
    ("人民东路", ("人民", "东路")),
    ("修文西小巷", ("修文", "西小巷")),
    ("南小街", ("南", "小街")),
    ("江南路", ("江南", "路")),
    ("五马街", ("五马", "街")),
    ("五马街道", ("五马", "街道")),
    ("经五路", ("经", "五路")),
    ("东四十二条", ("东四", "十二条")),
    ("二马路", ("", "二马路")),
    ("大马路", ("大马", "路")),
    ("温州大桥", ("温州", "大桥")),
    ("华侨新村", ("华侨", "新村")),
    ("柳市镇", ("柳市", "镇")),
    ("单县", ("单", "县")),
    ("龙港", ("龙港", "")),
    ("县前头", ("县前头", "")),
    ("瓯海大道", ("瓯海", "大道")),
]


@pytest.mark.parametrize(("name", "parts"), SPLITS, ids=[row[0] for row in SPLITS])
def test_split_name_takes_the_longest_generic_with_its_modifiers_and_ordinal(name, parts):
    assert split_name(name) == parts


def test_split_name_keeps_an_overridden_run_whole():
    assert split_name("大南路") == ("大", "南路")
    assert split_name("大南路", overrides={"大南": "Danan"}) == ("大南", "路")


@pytest.mark.parametrize("name", [name for name, _expected, _rule in ROMANIZATIONS])
def test_romanizing_with_split_names_own_split_gives_the_same_result(name):
    specific, generic = split_name(name)
    assert romanize(name, specific=specific, generic=generic) == romanize(name)


def test_the_shipped_dictionary_gives_one_syllable_per_character():
    lexicon = Lexicon.from_tsv(DICTIONARY_PATH)
    assert lexicon.names["乐清"].syllables == ("yue", "qing")
    assert lexicon.generics["弄"].syllables == ("long",)
    assert lexicon.generics["街道"].kind == "admin"


def test_a_malformed_dictionary_line_is_reported_with_its_line_number(tmp_path):
    path = tmp_path / "place_pinyin.tsv"
    path.write_text("# comment\nname\t乐清\tyue qing\nname\t六安\tlu\n", encoding="utf-8")
    with pytest.raises(ValueError, match="place_pinyin.tsv line 3"):
        Lexicon.from_tsv(path)


def _seeded_kinds():
    import importlib

    return importlib.import_module("placenames.migrations.0002_place_kinds").KINDS


@pytest.mark.parametrize(("kind", "generic"), [(kind[0], term) for kind in _seeded_kinds()
                                               for term in kind[3].split(",") if term])
def test_every_generic_term_a_kind_allows_is_split_off(kind, generic):
    """The naming rules refuse a name whose generic its kind does not allow; a generic the dictionary did not know
    (帝景华庭's 庭) left the name without one, and the application was refused for lacking what it had."""
    assert split_name("锦绣" + generic) == ("锦绣", generic), kind


def test_a_residential_name_ending_in_ting_is_romanized_with_its_generic_apart():
    assert romanize("帝景华庭") == "Dijinghua Ting"
    assert romanize("万科公馆") == "Wanke Gongguan"
    assert romanize("鹿城") == "Lucheng"  # the district's name stays one word: its 城 is no generic
