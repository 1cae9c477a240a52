"""Standard addresses (标准地址): assembling them in the official order and splitting free text back into parts.

The official order is province, city, county, township, base (a road, a village or natural village, a residential
area), villager group (村民小组, in a village that numbers within each group), house number, building, unit, room:
浙江省温州市鹿城区五马街道解放街88号1幢2单元501室, 浙江省温州市永嘉县岩头镇苍坡村12号, 浙江省温州市永嘉县岩头镇苍坡村3组12号,
浙江省温州市鹿城区南汇街道翠微小区3幢2单元501室. A group is written with Arabic digits like the house number (3组); the
parser also reads 三组, 第三组 and 3村民小组. The parser accepts the address
with or without province and city, 88-1号 and 88号之一, 附88号, Chinese numerals (八十八号), full-width digits and
spaces, and keeps what it could not read in ``rest``. Admin-area names come from the registry (``Gazetteer``), so a
component is only recognised as a county or township when such an area exists; village and residential-area names
come from the registry too (``BaseNames``), and a name the registry lacks is still read as a village (…村) or a
residential area (…小区, …花园 …) by its generic term.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from core.numerals import NUMERAL_CHARS, int_to_cn, numeral_value
from gis.errors import InputError, shown

ADMIN_LEVELS = ("province", "city", "county", "township")
ROAD_GENERICS = ("大道", "大街", "公路", "胡同", "路", "街", "巷", "弄", "里", "道", "坊", "埭", "线")
# The generic terms that make an unknown name a village or a residential area (registry names need none). Short,
# ambiguous ones of the gazetteer (城, 居, 庭, 湾) are left to the registry.
VILLAGE_GENERICS = ("自然村", "村")
RESIDENTIAL_GENERICS = ("小区", "花园", "家园", "新村", "公寓", "公馆", "苑", "园", "府", "邸")
ROAD, VILLAGE, RESIDENTIAL = "road", "village", "residential"
# The column headings an import file names a village or a residential area by (doorplates.readers).
BASE_HEADERS = {"村": "village", "村名": "village", "村庄": "village", "行政村": "village", "自然村": "village",
                "小区": "residential_area", "小区名称": "residential_area", "居民区": "residential_area",
                "住宅小区": "residential_area"}
_NUM = rf"(?:\d+|[{NUMERAL_CHARS}]+)"
NUMBER_RE = re.compile(
    rf"(?P<annex>附)?(?P<n>{_NUM})(?:(?P<dash>-)(?P<sub1>{_NUM}))?(?P<hao>号)?"
    rf"(?:(?:之(?P<sub2>{_NUM}))|(?:-(?P<sub3>\d+)))?"
)
GROUP_RE = re.compile(rf"第?(?P<g>{_NUM})(?:村民小组|小组|组)")
_LABEL = r"[0-9A-Za-z" + NUMERAL_CHARS + r"]{1,6}"
BUILDING_RE = re.compile(rf"(?P<v>{_LABEL})(?:号楼|幢|栋|座|号?楼)")
UNIT_RE = re.compile(rf"(?P<v>{_LABEL})单元")
ROOM_RE = re.compile(r"(?P<v>[0-9A-Za-z]{1,8})(?:室|号房|房)?$")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "−": "-", "~": "-", "＃": "#"})
_TRADITIONAL = str.maketrans({"號": "号", "樓": "楼", "區": "区", "縣": "县", "鎮": "镇", "門": "门"})


MAX_NUMBER = 99_999  # a number counted in metres along a road reaches 100 km; none is longer


@dataclass(frozen=True)
class HouseNumber:
    """88号, 88-1号 / 88号之一 (an infill number), 附88号 (an annex)."""

    number: int
    sub: int = 0
    style: str = "dash"  # how ``sub`` is written: dash (88-1号) or zhi (88号之一)
    annex: bool = False

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        head = ("附" if self.annex else "") + str(self.number)
        if not self.sub:
            return f"{head}号"
        if self.style == "zhi":
            return f"{head}号之{int_to_cn(self.sub)}"
        return f"{head}-{self.sub}号"

    @property
    def ascii(self) -> str:
        return ("fu" if self.annex else "") + str(self.number) + (f"-{self.sub}" if self.sub else "")

    @property
    def key(self) -> tuple[int, int, bool]:
        """Identity on a road: 88-1号 and 88号之一 are the same number written two ways."""
        return (self.number, self.sub, self.annex)

    @classmethod
    def parse(cls, text: str) -> HouseNumber:
        text = normalise(text)
        match = NUMBER_RE.fullmatch(text)
        number = _number_from(match) if match else None
        if number is None:
            raise InputError(_("Not a house number: %(text)s") % {"text": text}, code="bad_house_number",
                             where={"value": text}, hint=_("e.g. 88, 88-1, 88-zhi-1, annex 88"))
        return number


def _number_from(match: re.Match) -> HouseNumber | None:
    n = numeral_value(match["n"])
    subs = [s for s in (match["sub1"], match["sub2"], match["sub3"]) if s]
    if n is None or n < 1 or n > MAX_NUMBER or len(subs) > 1:
        return None
    sub = numeral_value(subs[0]) if subs else 0
    if sub is None or sub < 0 or sub > 999:
        return None
    style = "zhi" if match["sub2"] else "dash"
    return HouseNumber(n, sub, style, bool(match["annex"]))


def normalise(text: str) -> str:
    """Full-width to half-width, one kind of dash, simplified forms of a few characters, no spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES).translate(_TRADITIONAL)
    return re.sub(r"\s+", "", text).replace("#", "号")


NUMBER_SUFFIX = "号"  # 88号
INFILL_EXAMPLES = {"zhi": "88号之一", "dash": "88-1号"}  # how each style writes an infill number


MAX_GROUP = 999


def group_label(group: int) -> str:
    """3组: a village's villager group (村民小组) as an address writes it; empty for none (0)."""
    return f"{group}组" if group else ""


def parse_group(value) -> int:
    """A villager group given as 3, "3", "3组", "三组", "第三组" or "3村民小组"; 0 for none (None, "" or 0)."""
    if value in (None, "", 0, "0"):
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        group = value
    else:
        text = normalise(str(value))
        match = GROUP_RE.fullmatch(text) or re.fullmatch(rf"(?P<g>{_NUM})", text)
        group = numeral_value(match["g"]) if match else None
    if group is None or not 0 <= group <= MAX_GROUP:
        raise InputError(_("Not a villager group: %(text)s") % {"text": shown(value, 20)}, code="bad_villager_group",
                         where={"field": "villager_group", "value": shown(value, 20)}, hint=_("e.g. 3, 3-zu, san-zu"))
    return group


# What follows a building's, a unit's and a room's value in an address (3幢2单元501室), in that order.
PART_SUFFIXES = (("building", "幢"), ("unit", "单元"), ("room", "室"))
_SUFFIX = dict(PART_SUFFIXES)


def building_label(value: str) -> str:
    return f"{value}{_SUFFIX['building']}" if value else ""


def unit_label(value: str) -> str:
    return f"{value}{_SUFFIX['unit']}" if value else ""


def room_label(value: str) -> str:
    return f"{value}{_SUFFIX['room']}" if value else ""


def _canonical_part(value: str) -> str:
    """Building and unit numbers written in Chinese numerals become digits (一幢 → 1幢)."""
    converted = numeral_value(value) if value and not value.isdigit() else None
    return str(converted) if converted is not None else value.upper()


@dataclass
class ParsedAddress:
    province: str = ""
    city: str = ""
    county: str = ""
    township: str = ""
    base: str = ""  # the road, village or residential area
    base_kind: str = ""  # road, village, residential
    number: HouseNumber | None = None
    group: int = 0  # a village's villager group (3组), 0 when none
    building: str = ""
    unit: str = ""
    room: str = ""
    rest: str = ""  # what could not be read
    area_codes: dict[str, str] = field(default_factory=dict)  # level -> code of each recognised area

    @property
    def road(self) -> str:
        return self.base if self.base_kind == ROAD else ""

    @property
    def standard(self) -> str:
        return format_address(self.province, self.city, self.county, self.township, self.base, self.number,
                              self.building, self.unit, self.room, group=self.group)

    @property
    def below_admin(self) -> str:
        """The address from the base down (解放街88号1幢, 翠微小区3幢2单元), as the search text starts."""
        return format_address("", "", "", "", self.base, self.number, self.building, self.unit, self.room,
                              group=self.group)

    @property
    def finest_area_code(self) -> str | None:
        for level in reversed(ADMIN_LEVELS):
            if level in self.area_codes:
                return self.area_codes[level]
        return None

    @property
    def complete(self) -> bool:
        return bool(self.base and (self.number or self.building) and not self.rest)


def format_address(province: str, city: str, county: str, township: str, base: str,
                   number: HouseNumber | None, building: str = "", unit: str = "", room: str = "", *,
                   group: int = 0) -> str:
    """The national order: area, base, villager group, number, building, unit, room."""
    return "".join([province, city, county, township, base, group_label(group), number.label if number else "",
                    building_label(building), unit_label(unit), room_label(room)])


def parts_label(building: str, unit: str, room: str) -> str:
    """3幢2单元501室: what a residential area's plate without a house number shows in place of one."""
    return building_label(building) + unit_label(unit) + room_label(room)


# --- the admin-area names the parser recognises ---------------------------------------------------------

@dataclass(frozen=True)
class AreaName:
    code: str
    code12: str
    name: str
    level: str
    parent_code: str | None


# A statistical grouping, not a place: 龙港市 runs its communities directly (龙港市直辖村级区划).
NOT_IN_ADDRESSES = ("直辖村级区划",)
_SUFFIXES = {"province": ("省",), "city": ("市",), "county": ("区", "县", "市"), "township": ("街道", "镇", "乡")}


class Gazetteer:
    """Province, city, county and township names of the registry, with their short forms (鹿城 for 鹿城区)."""

    def __init__(self, areas: list[AreaName]):
        self.by_code = {a.code: a for a in areas}
        self.by_code12 = {a.code12: a for a in areas}
        self._aliases: dict[str, list[tuple[str, AreaName, bool]]] = {level: [] for level in ADMIN_LEVELS}
        for area in areas:
            if area.level not in self._aliases:
                continue
            self._aliases[area.level].append((area.name, area, False))
            for suffix in _SUFFIXES[area.level]:
                short = area.name[: -len(suffix)]
                if area.name.endswith(suffix) and len(short) >= 2:
                    self._aliases[area.level].append((short, area, True))
        for entries in self._aliases.values():
            entries.sort(key=lambda e: -len(e[0]))

    def match(self, text: str, level: str, parent: AreaName | None) -> tuple[AreaName, int] | None:
        """The area of ``level`` whose name starts ``text`` (under ``parent`` when given) and its length."""
        for alias, area, short in self._aliases[level]:
            if not text.startswith(alias):
                continue
            if parent is not None and not area.code12.startswith(_prefix(parent)):
                continue
            after = text[len(alias):]
            if short and (not after or after[0] in "路街巷道弄里"):
                continue  # 鹿城路 is a road, not 鹿城(区) + 路
            return area, len(alias)
        return None

    def chain(self, code12: str, level: str) -> list[AreaName]:
        """The areas from the province down to the township holding ``code12`` (an area of ``level``)."""
        lengths = {"province": 2, "city": 4, "county": 6, "township": 9}
        out = []
        for lvl, length in lengths.items():
            found = self.by_code12.get(code12[:length].ljust(12, "0"))
            if found is not None and found.level == lvl and not found.name.endswith(NOT_IN_ADDRESSES):
                out.append(found)
            if lvl == level:
                break
        return out

    def prefix_of(self, code12: str, level: str) -> str:
        """浙江省温州市鹿城区五马街道 for any area in 五马街道 (villages are left out of addresses)."""
        return "".join(a.name for a in self.chain(code12, level))


def _prefix(area: AreaName) -> str:
    return area.code12[: {"province": 2, "city": 4, "county": 6, "township": 9}[area.level]]


GAZETTEER_TTL_S = 60.0
_cached: list = [None, 0.0]  # the gazetteer and when it must be reloaded (time.monotonic)


def gazetteer() -> Gazetteer:
    """The registry's names; reloaded every minute and whenever an admin area is saved (doorplates.apps)."""
    names, expires = _cached
    if names is None or time.monotonic() > expires:
        names = _load_gazetteer()
        _cached[:] = [names, time.monotonic() + GAZETTEER_TTL_S]
    return names


def forget_gazetteer(**_signal) -> None:
    _cached[:] = [None, 0.0]


def _load_gazetteer() -> Gazetteer:
    from boundaries.models import AdminArea

    rows = AdminArea.objects.filter(level__in=ADMIN_LEVELS).values_list("code", "code12", "name", "level",
                                                                         "parent__code")
    return Gazetteer([AreaName(*row) for row in rows])


# --- the village and residential-area names the parser recognises -----------------------------------------

class BaseNames:
    """Village and residential-area names of the registry: name -> base kind (a name of both kinds reads as a
    residential area, the finer of the two)."""

    def __init__(self, names: list[tuple[str, str]]):
        self.kinds: dict[str, str] = {}
        for name, kind in names:
            if self.kinds.get(name) != RESIDENTIAL:
                self.kinds[name] = kind

    def kind_of(self, text: str) -> str | None:
        if text in self.kinds:
            return self.kinds[text]
        if text.endswith(RESIDENTIAL_GENERICS):  # 新村 before 村
            return RESIDENTIAL
        if text.endswith(VILLAGE_GENERICS):
            return VILLAGE
        return None


_bases_cached: list = [None, 0.0]


def base_names() -> BaseNames:
    """The registry's village and residential-area names; reloaded every minute and whenever a place is saved."""
    names, expires = _bases_cached
    if names is None or time.monotonic() > expires:
        from placenames.bases import names_in_use

        names = BaseNames(names_in_use())
        _bases_cached[:] = [names, time.monotonic() + GAZETTEER_TTL_S]
    return names


def forget_base_names(**_signal) -> None:
    _bases_cached[:] = [None, 0.0]


# --- parsing ------------------------------------------------------------------------------------------

def parse_address(text: str, names: Gazetteer | None = None, bases: BaseNames | None = None) -> ParsedAddress:
    """Splits free text into components; unknown text is kept in ``rest`` rather than guessed."""
    names = names or gazetteer()
    text = normalise(text)
    parsed = ParsedAddress()
    text = _parse_admin(text, names, parsed)
    match = _road_and_number(text)
    if match is None:
        found = _base_and_number(text, bases or base_names())
        if found is None:
            parsed.rest = text
            return parsed
        parsed.base_kind, parsed.base, parsed.group, parsed.number, tail = found
    else:
        parsed.base_kind = ROAD
        parsed.base, parsed.number, tail = match
    parsed.rest = _parse_tail(tail, parsed)
    return parsed


def _parse_admin(text: str, names: Gazetteer, parsed: ParsedAddress) -> str:
    parent = None
    for level in ADMIN_LEVELS:
        found = names.match(text, level, parent)
        if found is None:
            continue
        area, length = found
        setattr(parsed, level, area.name)
        parsed.area_codes[level] = area.code
        for above in names.chain(area.code12, level)[:-1]:  # 五马街道 alone still means 鹿城区, 温州市
            parsed.area_codes.setdefault(above.level, above.code)
        parent, text = area, text[length:]
    return text


def _road_and_number(text: str) -> tuple[str, HouseNumber, str] | None:
    """The shortest road name ending in a generic term (路, 街, 巷 ...) that a house number follows."""
    for end in range(1, len(text)):
        if not any(text[:end].endswith(g) for g in ROAD_GENERICS) or end < 2:
            continue
        match = NUMBER_RE.match(text, end)
        if match is None or not (match["hao"] or match["sub2"] or match.end() == len(text)
                                 or text[match.end():match.end() + 1] in ("幢", "栋", "座")):
            continue
        number = _number_from(match)
        if number is not None and not _numeral_of_road(text, end, match):
            return text[:end], number, text[match.end():]
    return None


def _base_and_number(text: str, bases: BaseNames) -> tuple[str, str, int, HouseNumber | None, str] | None:
    """The shortest village or residential-area name (from the registry, or by its generic term) followed by a
    house number (苍坡村12号), in a village perhaps after its villager group (苍坡村三组12号), or, in a residential
    area, by a building (翠微小区3幢)."""
    for end in range(2, len(text) + 1):
        kind = bases.kind_of(text[:end])
        if kind is None:
            continue
        if kind == RESIDENTIAL and BUILDING_RE.match(text, end):
            return kind, text[:end], 0, None, text[end:]
        group, at = 0, end
        grouped = GROUP_RE.match(text, end) if kind == VILLAGE else None
        if grouped is not None and numeral_value(grouped["g"]) is not None:
            group, at = numeral_value(grouped["g"]), grouped.end()
        match = NUMBER_RE.match(text, at)
        if match is None or not (match["hao"] or match["sub2"] or match.end() == len(text)
                                 or text[match.end():match.end() + 1] in ("幢", "栋", "座")):
            continue
        number = _number_from(match)
        if number is not None and group <= MAX_GROUP:
            return kind, text[:end], group, number, text[match.end():]
    return None


def _numeral_of_road(text: str, end: int, match: re.Match) -> bool:
    """True when the 'number' is really part of the road's name: 人民3号路 is a road, not 人民 + 3号."""
    after = text[match.end():match.end() + 2]
    return bool(after) and after[0] in "路街巷道弄" and not match["sub2"]


def _parse_tail(tail: str, parsed: ParsedAddress) -> str:
    for attr, pattern in (("building", BUILDING_RE), ("unit", UNIT_RE)):
        match = pattern.match(tail)
        if match:
            setattr(parsed, attr, _canonical_part(match["v"]))
            tail = tail[match.end():]
    if tail and (parsed.building or parsed.unit):
        match = ROOM_RE.fullmatch(tail)
        if match:
            parsed.room = match["v"].upper()
            tail = ""
    elif tail.endswith("室"):
        match = ROOM_RE.fullmatch(tail)
        if match:
            parsed.room, tail = match["v"].upper(), ""
    return tail


# --- the copies kept on each plate ---------------------------------------------------------------------

@dataclass(frozen=True)
class AddressText:
    number_label: str
    address: str
    search_text: str


def texts_for(prefix: str, base_name: str, base_key: str, base_initials: str, number: HouseNumber | None,
              building: str = "", unit: str = "", room: str = "", *, group: int = 0) -> AddressText:
    """The copies kept on a plate of any base; a plate without a house number (a residential area's 3幢2单元501室)
    shows its building, unit and room as its number, and its pinyin keys end with 3-2-501. A village plate's
    villager group leads its number (3组12号; keys cangpocun3zu12, cpc3zu12), so that every copy of the base's name
    and number (a platform's name column, the plate page, the lists) reads the address's way."""
    below = format_address("", "", "", "", base_name, number, building, unit, room, group=group)
    tail = number.ascii if number else "-".join(p.lower() for p in (building, unit, room) if p)
    tail = (f"{group}zu" if group else "") + tail
    keys = " ".join(k + tail for k in (base_key, base_initials) if k)
    label = group_label(group) + (number.label if number else parts_label(building, unit, room))
    return AddressText(label, prefix + below, f"{below} {keys}".strip())


def address_prefix(area) -> str:
    """The admin part of the standard address of a plate in ``area`` (浙江省温州市鹿城区五马街道)."""
    return gazetteer().prefix_of(area.code12, area.level if area.level in ADMIN_LEVELS else "township")


def address_of(plate, base, area) -> AddressText:
    prefix = address_prefix(area)
    return texts_for(prefix, base.name, base.pinyin_key, base.initials, plate.house_number,
                     plate.building, plate.unit, plate.room, group=plate.villager_group)


def with_number(parsed: ParsedAddress, number: HouseNumber) -> ParsedAddress:
    return replace(parsed, number=number)
