"""Hanyu Pinyin romanization of place names (地名罗马字母拼写) and the pinyin keys that find homophones.

The rules, cited by article where the code applies them:

- "1984 rules": 中国地名汉语拼音字母拼写规则（汉语地名部分）, (84)中地字第17号, 中国地名委员会、中国文字改革
  委员会、国家测绘局, 1984-12-25. Art. 1 specific (专名) and generic (通名) apart; art. 2 single-syllable
  modifiers joined to what they modify, longer ones apart; art. 3 natural villages in one word, where the
  caller knows the place is one (its census category, a natural_village kind, the generic 自然村:
  village_romanization); art. 4 a generic that became part of a name is treated as specific; art. 6
  numerals in pinyin; art. 7 street
  ordinals and codes in Arabic digits; art. 8 polyphones read as the place is read; art. 10 each word
  capitalised; art. 11 apostrophe before a, o, e; art. 12 儿化 written r.
- GB/T 38207-2019 (generic-term spellings), GB/T 16159-2012 (orthography), GB 17733-2008 (signs: tones are
  not written). Minority-language names follow 少数民族语地名汉语拼音字母音译转写法 (1976), through the
  dictionary's written forms (吐鲁番 Turpan).

Readings come from pypinyin, corrected by placenames/data/place_pinyin.tsv, which the bureau extends and
which also holds the generic terms. Output is plain ASCII apart from ü, kept after l and n as the
汉语拼音方案 writes it (吕 Lü, 绿 Lü); tones are not written. pinyin_key writes ü as v.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from core.numerals import cardinal, int_to_cn, numeral_value
from gis.errors import InputError

DICTIONARY_PATH = Path(__file__).parent / "data" / "place_pinyin.tsv"

GENERIC_KINDS = frozenset({"admin", "street", "series", "area", "natural"})
# Kinds whose generic term takes a joined single-syllable modifier (art. 2). Administrative names do not:
# 城东街道 is Chengdong Jiedao, never "Cheng Dongjiedao".
_MODIFIED_KINDS = frozenset({"street", "series", "area", "natural"})
# Art. 7 converts ordinals in street names (街巷名称) only; 五指山, 三门峡 and 二道沟 keep pinyin (art. 6).
_ORDINAL_KINDS = frozenset({"street", "series"})

# Art. 2 examples: 人民东路 Renmin Donglu, 修文西小巷 Xiuwen Xixiaoxiang, 清波门直街 Qingbomen Zhijie,
# 潮白新河 Chaobai Xinhe. 内 and 外 are not here: they follow what they qualify (朝阳门内大街 Chaoyangmennei
# Dajie, 东直门外南后街 Dongzhimenwai Nanhoujie). 横 is not here: 南横东街 is Nanheng Dongjie.
MODIFIERS = frozenset("东西南北中前后左右上下大小新老直")
# A one-character specific term before which a numeral is an ordinal in a series: 经五路 Jing 5 Lu,
# 纬三路 Wei 3 Lu, 南一路 Nan 1 Lu. Any other single character keeps the numeral as part of the name.
SERIES_PREFIXES = frozenset("经纬横纵环东西南北中")

# What a street ordinal is written with (经五路, 第一百零五弄); 两 and 千 stay part of a name.
NUMERALS = frozenset("〇零一二三四五六七八九十百")
_SAY = dict(zip("零一二三四五六七八九十百", ("ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu", "shi",
                                        "bai"), strict=True))

_HAN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SYLLABLE = re.compile("[a-zü]+")
_RUNS = re.compile(r"[0-9]+|[A-Za-z]+|[^0-9A-Za-z]+")


class NoReadingError(InputError):
    code = "no_pinyin_reading"


class NameSplitError(InputError):
    code = "name_split_mismatch"


@dataclass(frozen=True)
class Entry:
    """One line of the dictionary: a place name's reading, or a generic term (通名) and its kind."""

    kind: str
    hanzi: str
    syllables: tuple[str, ...]
    form: str = ""


class Lexicon:
    def __init__(self, entries: Iterable[Entry]):
        entries = list(entries)
        self.names = {e.hanzi: e for e in entries if e.kind == "name"}
        self.generics = {e.hanzi: e for e in entries if e.kind in GENERIC_KINDS}
        self.longest_name = max((len(k) for k in self.names), default=0)
        self.longest_generic = max((len(k) for k in self.generics), default=0)

    @classmethod
    def from_tsv(cls, path: Path) -> Lexicon:
        entries = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                entries.append(_parse_entry(line, f"{path.name} line {number}"))
        return cls(entries)


def _parse_entry(line: str, where: str) -> Entry:
    kind, hanzi, pinyin, form, *_note = (line.split("\t") + ["", "", "", ""])[:5]
    kind, hanzi, form = kind.strip(), unicodedata.normalize("NFKC", hanzi.strip()), form.strip()
    syllables = tuple(s.replace("v", "ü") for s in pinyin.lower().split())
    if kind != "name" and kind not in GENERIC_KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r}")
    if not hanzi or not all(_HAN.match(c) for c in hanzi):
        raise ValueError(f"{where}: {hanzi!r} is not a run of Chinese characters")
    if len(syllables) != len(hanzi) or not all(_SYLLABLE.fullmatch(s) for s in syllables):
        raise ValueError(f"{where}: {pinyin!r} must give one toneless syllable for each of {hanzi!r}")
    if form and kind != "name":
        raise ValueError(f"{where}: only a name takes a written form")
    return Entry(kind, hanzi, syllables, form)


@functools.cache
def place_lexicon() -> Lexicon:
    return Lexicon.from_tsv(DICTIONARY_PATH)


@dataclass(frozen=True)
class _Unit:
    """Characters that stay together: a dictionary name with a written form, or an officer's override."""

    start: int
    end: int
    form: str | None
    from_override: bool


@dataclass
class _Name:
    text: str
    syllables: list[str]  # one per character; "" for digits and Latin letters
    units: list[_Unit]

    def cuts(self, boundary: int) -> bool:
        return any(u.start < boundary < u.end for u in self.units)

    def unit_at(self, start: int) -> _Unit | None:
        return next((u for u in self.units if u.start == start), None)


@dataclass(frozen=True)
class _Parts:
    """[0, ordinal) specific term, [ordinal, generic) ordinal, [generic, end) generic term with modifiers."""

    ordinal: int
    generic: int
    base: Entry | None
    base_start: int


# --- public API ------------------------------------------------------------------------------------------


def romanize(name: str, *, specific: str | None = None, generic: str | None = None,
             overrides: Mapping[str, str] | None = None) -> str:
    """The standard romanization of a place name: 人民东路 -> "Renmin Donglu", 经五路 -> "Jing 5 Lu".

    ``specific``/``generic`` fix the split (专名/通名) instead of split_name's guess; ``generic=""`` writes
    the whole name as one word, as natural villages are written (1984 rules art. 3: 王村 Wangcun).
    ``overrides`` maps a full name, or a run of characters in it, to the romanization an officer decided;
    a full-name override is returned as it is, a run keeps its characters together in one word.
    """
    text, overrides = _normalise(name), _normalise_keys(overrides)
    if text in overrides:
        return overrides[text]
    lexicon = place_lexicon()
    parsed = _read(text, lexicon, overrides)
    return _romanization(parsed, _parts(parsed, lexicon, specific, generic))


def split_name(name: str, *, overrides: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(specific, generic): 人民东路 -> ("人民", "东路"), 经五路 -> ("经", "五路"), 龙港 -> ("龙港", "").

    The generic is the longest generic term at the end, with the single-syllable modifiers and the street
    ordinal that belong to it; a dictionary name with a written form, or an override, is never cut.
    """
    text, lexicon = _normalise(name), place_lexicon()
    parts = _parts(_read(text, lexicon, _normalise_keys(overrides)), lexicon, None, None)
    return text[:parts.ordinal], text[parts.ordinal:]


def syllables(name: str) -> list[str]:
    """Toneless syllables, one per Chinese character, as the place is read: 乐清市 -> [yue, qing, shi].

    Arabic numbers are read out (经12路 -> jing shi er lu, like 经十二路); Latin letters stay, lowercased.
    """
    text = _normalise(name)
    lexicon = place_lexicon()
    parsed = _read(text, lexicon, {})
    _parts(parsed, lexicon, None, None)  # applies the generic term's own reading (弄 long)
    return _syllables(parsed)


@dataclass(frozen=True)
class Reading:
    """What romanize, split_name and syllables give for one name (no split given, no overrides)."""

    romanization: str
    specific: str
    generic: str
    syllables: tuple[str, ...]


def reading(name: str, *, one_word: bool = False) -> Reading:
    """romanize(name), split_name(name) and syllables(name) from one reading of the name (a bulk load needs
    all three for every row). ``one_word``: the name of a natural village, whose romanization does not tell the
    specific term from the generic (1984 rules art. 3: 王村 Wangcun, 江镇 Jiangzhen), written as one word;
    split_name's split is still given."""
    text, lexicon = _normalise(name), place_lexicon()
    parsed = _read(text, lexicon, {})
    parts = _parts(parsed, lexicon, None, None)
    written = romanize(text, generic="") if one_word else _romanization(parsed, parts)
    return Reading(written, text[:parts.ordinal], text[parts.ordinal:], tuple(_syllables(parsed)))


def village_romanization(name: str, *, natural_village: bool, specific: str | None = None,
                         generic: str | None = None) -> str:
    """The standard romanization of a name whose place may be a natural village (自然村): one word when it is
    (1984 rules art. 3: 自然村镇名称不区分专名和通名，各音节连写; 王村 Wangcun, 江镇 Jiangzhen, 周口店 Zhoukoudian),
    otherwise specific and generic apart as romanize writes them (art. 1: 友谊乡 Youyi Xiang, 西峰镇 Xifeng Zhen):
    苍坡村, an administrative village, is Cangpo Cun; 下岙村, a natural village, Xia'aocun."""
    if natural_village:
        return romanize(name, generic="")
    return romanize(name, specific=specific, generic=generic)


def pinyin_key(name: str) -> str:
    """Toneless pinyin without spaces or apostrophes, ü as v: 解放路 and 介放路 -> "jiefanglu".

    Two names with the same key sound alike apart from tones: the homophones 地名管理条例 art. 9 asks
    to avoid within one built-up area.
    """
    return "".join(syllables(name)).replace("ü", "v")


def initials_key(name: str) -> str:
    """The first letter of each syllable, for search by initials: 解放路 -> "jfl", 中山路 -> "zsl"."""
    return "".join(s[0] for s in syllables(name)).replace("ü", "v")


# --- reading -----------------------------------------------------------------------------------------------


def _normalise(name: str) -> str:
    # NFKC folds full-width digits and letters; spaces and punctuation (· - （）) carry no sound.
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZSC")


def _normalise_keys(overrides: Mapping[str, str] | None) -> dict[str, str]:
    return {key: value for key, value in ((_normalise(k), v) for k, v in (overrides or {}).items()) if key}


def _read(text: str, lexicon: Lexicon, overrides: Mapping[str, str]) -> _Name:
    """Reads each character: the dictionary's longest match first, pypinyin for the runs between."""
    if not text:
        raise InputError(_("The place name is empty."), code="empty_name")
    for position, char in enumerate(text, start=1):
        if not (_HAN.match(char) or char.isascii() and char.isalnum()):
            raise NoReadingError(_("The name holds a character that cannot be romanized."),
                                 where={"name": text, "position": position, "character": char})
    parsed = _Name(text, [""] * len(text), [])
    i = run = 0
    while i < len(text):
        entry = _longest(text, i, lexicon.names, lexicon.longest_name)
        if entry is None and _HAN.match(text[i]):
            i += 1
            continue
        _read_run(parsed, run, i)
        if entry is None:
            i += 1
        else:
            end = i + len(entry.hanzi)
            parsed.syllables[i:end] = entry.syllables
            if entry.form:
                parsed.units.append(_Unit(i, end, entry.form, from_override=False))
            i = end
        run = i
    _read_run(parsed, run, len(text))
    _apply_overrides(parsed, overrides)
    return parsed


def _longest(text: str, start: int, table: Mapping, longest: int):
    for length in range(min(longest, len(text) - start), 0, -1):
        if (hit := table.get(text[start:start + length])) is not None:
            return hit
    return None


def _read_run(parsed: _Name, start: int, end: int) -> None:
    """Reads an unbroken run of characters in one call, so that pypinyin's phrase list sees the context
    (长春 chang, 厦门 xia)."""
    if start == end:
        return
    for i, reading in enumerate(_run_readings(parsed.text[start:end]), start=start):
        if not _SYLLABLE.fullmatch(reading):
            raise NoReadingError(_("This character has no pinyin reading: add it to the place-name dictionary."),
                                 where={"name": parsed.text, "position": i + 1, "character": parsed.text[i]})
        parsed.syllables[i] = reading


def _run_readings(run: str) -> Iterable[str]:
    """pypinyin's readings of a run, as ``lazy_pinyin(run)`` gives them. pypinyin reads a character by itself
    unless it stands in a phrase of its phrase list (长春, 厦门): where no part of the run is such a phrase, the
    readings are those of each character alone, read once per character (a census repeats its characters)."""
    if len(run) <= _CONTEXT_FREE_LONGEST and not _holds_phrase(run):
        readings = [_char_reading(c) for c in run]
        if None not in readings:
            return readings
    return _lazy_pinyin(run)


_CONTEXT_FREE_LONGEST = 24  # longer runs (never a place name) are read whole rather than searched for phrases


def _holds_phrase(run: str) -> bool:
    phrases = PHRASES_DICT
    return any(run[i:j] in phrases for i in range(len(run)) for j in range(i + 1, len(run) + 1))


@functools.lru_cache(maxsize=65_536)  # a census repeats its phrases too (人民, 解放)
def _lazy_pinyin(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors=lambda chars: ["?"] * len(chars)))


@functools.lru_cache(maxsize=65_536)
def _char_reading(char: str) -> str | None:
    """A character's reading by itself; None for one pypinyin does not know (the whole run is read instead)."""
    if ord(char) not in PINYIN_DICT:
        return None
    readings = _lazy_pinyin(char)
    return readings[0] if len(readings) == 1 else None


def _apply_overrides(parsed: _Name, overrides: Mapping[str, str]) -> None:
    if not overrides:
        return
    longest = max(len(k) for k in overrides)
    i = 0
    while i < len(parsed.text):
        key = next((parsed.text[i:i + n] for n in range(min(longest, len(parsed.text) - i), 0, -1)
                    if parsed.text[i:i + n] in overrides), None)
        if key is None:
            i += 1
            continue
        end, value = i + len(key), overrides[key]
        pieces = [p.lower().replace("v", "ü") for p in re.split(r"[\s'’-]+", value.strip()) if p]
        per_character = len(pieces) == len(key) and all(_SYLLABLE.fullmatch(p) for p in pieces)
        if per_character:
            parsed.syllables[i:end] = pieces
        parsed.units = [u for u in parsed.units if u.end <= i or u.start >= end]
        parsed.units.append(_Unit(i, end, None if per_character else value, from_override=True))
        i = end


# --- structure: specific, ordinal, generic -----------------------------------------------------------------


def _parts(parsed: _Name, lexicon: Lexicon, specific: str | None, generic: str | None) -> _Parts:
    text, end = parsed.text, len(parsed.text)
    boundary = None if specific is None and generic is None else _caller_boundary(text, specific, generic)
    found = None if boundary == end else _find_generic(parsed, lexicon, boundary or 0, boundary is not None)
    if found is None:
        return _Parts(end if boundary is None else boundary, end if boundary is None else boundary, None, end)
    base_start, base = found
    if boundary is None or base_start == boundary:
        # split_name's guess, or a bare generic from the caller: the specific may end in a modifier or ordinal
        ordinal, modifiers = _peel(parsed, base_start, base)
    else:
        ordinal, modifiers = boundary, base_start
        while modifiers > boundary and text[modifiers - 1] in MODIFIERS:
            modifiers -= 1
        if modifiers > boundary and _ordinal_start(parsed, modifiers, base, boundary, trusted=True) != boundary:
            modifiers = boundary  # not [ordinal][modifiers][generic]: the caller's generic is one word
    # A generic term is read as the generic (弄 lòng, 涌 chōng), unless an officer said otherwise.
    if not any(u.from_override and u.end > base_start for u in parsed.units):
        parsed.syllables[base_start:] = base.syllables
    return _Parts(ordinal, modifiers, base, base_start)


def _caller_boundary(text: str, specific: str | None, generic: str | None) -> int:
    specific = _normalise(specific) if specific is not None else None
    generic = _normalise(generic) if generic is not None else None
    if specific is None:
        specific = text[:len(text) - len(generic)] if text.endswith(generic) else None
    if generic is None and specific is not None:
        generic = text[len(specific):] if text.startswith(specific) else None
    if specific is None or generic is None or specific + generic != text:
        raise NameSplitError(_("The specific and generic terms do not make up this name."),
                             where={"name": text, "specific": specific, "generic": generic})
    return len(specific)


def _find_generic(parsed: _Name, lexicon: Lexicon, floor: int, caller_split: bool) -> tuple[int, Entry] | None:
    """The longest generic term ending the name, not starting before ``floor`` nor inside a unit."""
    text = parsed.text
    for length in range(min(lexicon.longest_generic, len(text) - floor), 0, -1):
        start = len(text) - length
        entry = lexicon.generics.get(text[start:])
        if entry is None or (not caller_split and parsed.cuts(start)):
            continue
        if entry.kind == "series" and _ordinal_start(parsed, start, entry) is None:
            continue
        return start, entry
    return None


def _peel(parsed: _Name, base_start: int, base: Entry) -> tuple[int, int]:
    """Moves the single-syllable modifiers (art. 2) and the street ordinal (art. 7) in front of the
    generic term out of the specific. Returns where the ordinal and the modifiers start."""
    text, modifiers = parsed.text, base_start
    if base.kind in _MODIFIED_KINDS:
        # A modifier joins the generic only if a specific term of two or more syllables stays before it
        # (人民东路 Renmin Donglu), or the one syllable left is itself a modifier (南小街 Nan Xiaojie,
        # 小南街 Xiao Nanjie, art. 2). 江南路, 河南路, 城东路 keep their two-syllable specific: Jiangnan Lu.
        while modifiers > 1 and text[modifiers - 1] in MODIFIERS and not parsed.cuts(modifiers - 1):
            rest = modifiers - 1
            if rest < 2 and text[0] not in MODIFIERS:
                break
            modifiers = rest
    ordinal = _ordinal_start(parsed, modifiers, base)
    return (modifiers if ordinal is None else ordinal), modifiers


def _ordinal_start(parsed: _Name, end: int, base: Entry, floor: int = 0, trusted: bool = False) -> int | None:
    """Where a street ordinal ending at ``end`` starts (art. 7: 经五路 Jing 5 Lu, 第九弄 Di-9 Long,
    大川淀一巷 Dachuandian 1 Xiang), or None where the numeral belongs to the name (art. 6).

    The numeral must be a well-formed number (五, 十二, 一百零五), so 三八路, 五一路 and 二七路, named after
    dates, keep pinyin; and it must stand in a series: after 第, before 号, before 马路/环路, after a
    series prefix (经 纬 横 纵 环 or a direction), or after a specific term of two or more characters.
    Numerals inside the specific (五马街 Wuma Jie, 九山路 Jiushan Lu) never reach the generic term.
    A numeral the caller put in the generic (``trusted``) needs no series.
    """
    text = parsed.text
    if base.kind not in _ORDINAL_KINDS:
        return None
    numeral_end = end - 1 if end > floor and text[end - 1] == "号" else end
    start = numeral_end
    if start > floor and text[start - 1].isdigit() and text[start - 1].isascii():
        while start > floor and text[start - 1].isdigit() and text[start - 1].isascii():
            start -= 1
        value: int | None = numeral_value(text[start:numeral_end])
    else:
        while start > floor and text[start - 1] in NUMERALS:
            start -= 1
        while parsed.cuts(start) and start < numeral_end:  # 东四十二条: 东四 is a name, 十二 the ordinal
            start += 1
        value = cardinal(text[start:numeral_end])
    if not value:
        return None
    prefixed = start > floor and text[start - 1] == "第"
    if prefixed:
        start -= 1
    rest = text[:start]
    in_series = (trusted or prefixed or numeral_end < end or base.kind == "series"
                 or rest in SERIES_PREFIXES or len(rest) >= 2)
    return start if in_series and not parsed.cuts(start) else None


# --- writing -----------------------------------------------------------------------------------------------


def _romanization(parsed: _Name, parts: _Parts) -> str:
    text = parsed.text
    words = _specific_words(parsed, parts) + _ordinal_words(text[parts.ordinal:parts.generic])
    if parts.generic < len(text):
        words += _words(parsed, parts.generic, len(text))
    return " ".join(words)


def _syllables(parsed: _Name) -> list[str]:
    text, out = parsed.text, []
    for start, end in _chunks(text, 0, len(text)):
        chunk = text[start:end]
        if chunk.isdigit():
            out += _say_number(chunk)
        else:
            out += [chunk.lower()] if chunk.isascii() else parsed.syllables[start:end]
    return out


def _specific_words(parsed: _Name, parts: _Parts) -> list[str]:
    text, end = parsed.text, parts.ordinal
    if end == 0:
        return []
    # Art. 2: a two-syllable modifier such as 第二 is written apart (第二松花江 Di'er Songhua Jiang); it
    # stays joined in a name without a generic term (第六屯 Diliutun, art. 6).
    if parts.base is not None and text[0] == "第":
        numeral_end = 1
        while numeral_end < end and text[numeral_end] in NUMERALS:
            numeral_end += 1
        if 1 < numeral_end < end and cardinal(text[1:numeral_end]):
            return _words(parsed, 0, numeral_end) + _words(parsed, numeral_end, end)
    return _words(parsed, 0, end)


def _ordinal_words(ordinal: str) -> list[str]:
    if not ordinal:
        return []
    prefixed, numbered = ordinal.startswith("第"), ordinal.endswith("号")
    numeral = ordinal[prefixed:len(ordinal) - numbered]
    number = numeral if numeral.isdigit() and numeral.isascii() else str(cardinal(numeral))
    # Art. 7: 第九弄 Dì-9 Lòng. 号 is a measure word, written apart from the number (GB/T 16159-2012).
    return [f"Di-{number}" if prefixed else number] + (["Hao"] if numbered else [])


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Splits [start, end) into runs of Chinese characters, of digits and of Latin letters."""
    return [m.span() for m in _RUNS.finditer(text, start, end)]


def _words(parsed: _Name, start: int, end: int) -> list[str]:
    """One word per run of Chinese characters; digits and Latin letters stand as words of their own
    (art. 7: 1203高地 1203 Gaodi)."""
    return [parsed.text[a:b] if parsed.text[a:b].isascii() else _word(parsed, a, b)
            for a, b in _chunks(parsed.text, start, end)]


def _word(parsed: _Name, start: int, end: int) -> str:
    pieces: list[str] = []
    i = start
    while i < end:
        unit = parsed.unit_at(i)
        if unit and unit.form and unit.end <= end:
            if unit.start == start and unit.end == end:
                return unit.form  # a whole word spelled by the dictionary or by an officer, as written
            if unit.from_override:
                pieces.append(unit.form.replace(" ", "").lower())
                i = unit.end
                continue
        if parsed.text[i] == "儿" and i == end - 1 and i > start:
            pieces.append("r")  # art. 12: 盆儿胡同 Penr Hutong
        else:
            pieces.append(parsed.syllables[i])
        i += 1
    word = pieces[0]
    for piece in pieces[1:]:
        # Art. 11: a syllable starting with a, o or e after another one in the same word takes an
        # apostrophe (西安 Xi'an, 建瓯 Jian'ou, 天峨 Tian'e).
        word += ("'" if piece[:1] in ("a", "o", "e") else "") + piece
    return word[:1].upper() + word[1:]


def _say_number(digits: str) -> list[str]:
    """Reads an Arabic number as its Chinese numeral is read, so 经12路 and 经十二路 share a key.
    Long numbers and codes with a leading zero are read digit by digit (1203 yi er ling san)."""
    if len(digits) > 3 or (len(digits) > 1 and digits[0] == "0"):
        return [_SAY[int_to_cn(int(d))] for d in digits]
    return [_SAY[ch] for ch in int_to_cn(int(digits))]
