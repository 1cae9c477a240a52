"""The naming rules (地名管理条例 2022 art. 9 and the bureau's lists), one small function per rule code.

Each rule returns findings: an error blocks the application, a warning needs a written justification before the
application may leave the rule-check step. ``check(proposal)`` runs them all; the word lists are rows of
``NamingWord`` that the bureau edits in the admin.
"""

from __future__ import annotations

import unicodedata
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from gis.errors import InputError
from placenames.models import (
    Application,
    ApplicationState,
    ApplicationType,
    NamingWord,
    Place,
    PlaceKind,
    PlaceStatus,
    Severity,
    WordCategory,
)
from placenames.pinyin import pinyin_key

ERROR, WARNING = Severity.ERROR.value, Severity.WARNING.value
DEFAULT_MAX_NAME_LENGTH = 15
GEOMETRY_KIND_OF = {"Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line",
                    "Polygon": "polygon", "MultiPolygon": "polygon"}

# Why each rule exists, shown beside each finding on the application page.
EXPLANATIONS = {
    "duplicate_name": "《地名管理条例》第九条：同一建成区内的街路巷名称、重要居民区和建筑物名称不应重名。本系统以区县为范围。",
    "homophone": "《地名管理条例》第九条要求避免同音。读音（不计声调）相同的名称容易在报警、快递和导航中混淆；"
                 "如确需使用，请写明理由。",
    "foreign_name": "《地名管理条例》第九条：不以外国人名、地名命名。词表可在后台编辑。",
    "enterprise_name": "《地名管理条例》第九条：不以企业名称或者商标名称作地名。词表可在后台编辑。",
    "leader_name": "《地名管理条例》第九条：不得以国家领导人的名字作地名。词表可在后台编辑。",
    "grandiose_word": "“大、洋、怪、重”地名清理整治要求避免夸大、崇洋的用词。该词表为本局可编辑的参考，"
                      "命中时需书面说明理由。",
    "generic_mismatch": "通名应与地名类别相符（例如居民区用“小区、苑”，道路用“路、街、巷”）。"
                        "各类别允许的通名在后台“地名类别”中维护。",
    "latin_letters": "标准地名用规范汉字书写，不使用拉丁字母（罗马字母拼写由系统另行生成）。",
    "digits": "标准地名中的序数用汉字书写（经五路），阿拉伯数字只出现在罗马字母拼写中（Jing 5 Lu）。",
    "invalid_character": "标准地名只由汉字组成，不含空格、标点或符号。",
    "rare_character": "该字不在 GB 2312 常用字集中，许多系统、导航和标牌无法显示。"
                      "地方常用字（如“垟”“岙”）可在后台词表中登记；否则需说明理由。",
    "variant_character": "兼容区异体字不是规范汉字，请改用对应的规范字。",
    "empty_specific": "地名由专名和通名组成，专名不能为空。",
    "split_mismatch": "专名与通名连起来应与完整名称一致。",
    "too_long": "名称过长，不便于书写、标牌和导航。长度上限可在设置 PLACENAMES_MAX_NAME_LENGTH 中调整。",
    "geometry_mismatch": "几何类型应与地名类别相符（道路为线，居民区、建筑物为面或点）。",
    "unchanged_name": "更名申请的新名称与现用名称相同。",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    evidence: dict = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        return EXPLANATIONS.get(self.code, "")


@dataclass
class Proposal:
    """A name to check: the full name, its split, the kind, the county it is in and the geometry type."""

    name: str
    specific: str
    generic: str
    kind: PlaceKind
    county_prefix: str  # the first 6 digits of the area's code12
    geometry_type: str | None = None
    place_uuid: uuid_module.UUID | None = None  # the place being renamed: never a conflict with itself
    current_name: str = ""
    application_id: int | None = None  # the application checked: never a conflict with itself

    @cached_property
    def key(self) -> str:
        try:
            return pinyin_key(self.name)
        except InputError:
            return ""

    @cached_property
    def words(self) -> dict[str, list[NamingWord]]:
        by_category: dict[str, list[NamingWord]] = {c: [] for c in WordCategory.values}
        for word in NamingWord.objects.active().only("category", "word", "severity"):
            by_category[word.category].append(word)
        return by_category

    @cached_property
    def neighbours(self) -> list[Place]:
        """Places in use or proposed in the same county whose name or toneless pinyin equals the proposal's."""
        match = Q(name=self.name) | Q(pinyin_key=self.key) if self.key else Q(name=self.name)
        rows = (Place.objects.filter(area__code12__startswith=self.county_prefix,
                                     status__in=(PlaceStatus.IN_USE, PlaceStatus.PROPOSED))
                .filter(match).select_related("kind", "area")
                .only("uuid", "name", "pinyin_key", "status", "kind__code", "kind__name", "kind__unique_in_county",
                      "area__name", "area__code"))
        if self.place_uuid:
            rows = rows.exclude(uuid=self.place_uuid)
        return list(rows[:50])

    @cached_property
    def pending(self) -> list[Application]:
        """Names still in the pipeline (submitted, checked, reviewed, in 公示 or awaiting the decision) in the same
        county whose name or toneless pinyin equals the proposal's; only applications filed before this one, so that
        the earlier application is not blocked by a later one with the same name."""
        if not self.name:
            return []
        rows = (Application.objects.filter(area__code12__startswith=self.county_prefix, state__in=PIPELINE_STATES)
                .exclude(type=ApplicationType.CANCELLATION).exclude(proposed_name="")
                .select_related("kind", "area").order_by("pk"))
        if self.application_id:
            rows = rows.filter(pk__lt=self.application_id)
        if self.place_uuid:
            rows = rows.exclude(place_id=self.place_uuid)
        # A county has a few dozen applications under way: their keys are computed here rather than stored.
        return [a for a in rows[:500] if a.proposed_name == self.name or (self.key and _key(a.proposed_name) == self.key)]


# The states of an application whose name is still in the pipeline (a draft is not yet a claim on a name).
PIPELINE_STATES = (ApplicationState.SUBMITTED, ApplicationState.CHECKED, ApplicationState.REVIEWED,
                   ApplicationState.CONSULTATION, ApplicationState.CONSULTED)


def _key(name: str) -> str:
    try:
        return pinyin_key(name)
    except InputError:
        return ""


def _place_evidence(place: Place) -> dict:
    return {"uuid": str(place.uuid), "name": place.name, "kind": place.kind.name, "area": place.area.name}


def _application_evidence(app: Application) -> dict:
    return {"application": app.pk, "reference": app.reference, "name": app.proposed_name, "kind": app.kind.name,
            "area": app.area.name, "state": str(app.get_state_display())}


def _han(char: str) -> bool:
    return unicodedata.category(char) == "Lo" and "CJK" in unicodedata.name(char, "")


def _latin(char: str) -> bool:
    folded = unicodedata.normalize("NFKC", char)  # full-width Ａ is still a Latin letter
    return folded.isascii() and folded.isalpha()


def _max_length() -> int:
    return getattr(settings, "PLACENAMES_MAX_NAME_LENGTH", DEFAULT_MAX_NAME_LENGTH)


# --- the rules ---------------------------------------------------------------------------------------------


def duplicate_name(p: Proposal) -> list[Finding]:
    if not p.kind.unique_in_county:
        return []
    same = [pl for pl in p.neighbours if pl.name == p.name and pl.kind.unique_in_county]
    pending = [a for a in p.pending if a.proposed_name == p.name and a.kind.unique_in_county]
    out = []
    if same:
        first = same[0]
        out.append(Finding("duplicate_name", ERROR,
                           f"本区县已有同名地名“{first.name}”（{first.kind.name}，{first.area.name}）。",
                           {"places": [_place_evidence(pl) for pl in same]}))
    if pending:
        first = pending[0]
        out.append(Finding("duplicate_name", ERROR, _(
            "An application for the same name “%(name)s” is already under way in this county (%(reference)s, "
            "%(state)s).") % {"name": first.proposed_name, "reference": first.reference,
                              "state": first.get_state_display()},
            {"applications": [_application_evidence(a) for a in pending]}))
    return out


def homophone(p: Proposal) -> list[Finding]:
    if not p.key:
        return []
    alike = [pl for pl in p.neighbours if pl.name != p.name and pl.pinyin_key == p.key]
    pending = [a for a in p.pending if a.proposed_name != p.name]
    out = []
    if alike:
        names = "、".join(dict.fromkeys(pl.name for pl in alike))
        out.append(Finding("homophone", WARNING, f"“{p.name}”与本区县已有地名“{names}”同音（{p.key}）。",
                           {"pinyin_key": p.key, "places": [_place_evidence(pl) for pl in alike]}))
    if pending:
        names = _(", ").join(dict.fromkeys(a.proposed_name for a in pending))
        out.append(Finding("homophone", WARNING, _(
            "“%(name)s” sounds the same as “%(names)s”, applied for in this county and still under way "
            "(%(key)s).") % {"name": p.name, "names": names, "key": p.key},
            {"pinyin_key": p.key, "applications": [_application_evidence(a) for a in pending]}))
    return out


def _listed_words(p: Proposal, category: str, code: str, label: str) -> list[Finding]:
    out = []
    for word in p.words[category]:
        if word.word and word.word in p.name:
            out.append(Finding(code, word.severity, f"名称含有{label}“{word.word}”。",
                               {"word": word.word, "category": category}))
    return out


def foreign_name(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.FOREIGN, "foreign_name", "外国人名或地名")


def enterprise_name(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.ENTERPRISE, "enterprise_name", "企业名称或商标名称")


def leader_name(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.LEADER, "leader_name", "领导人姓名")


def grandiose_word(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.GRANDIOSE, "grandiose_word", "夸大用词")


def generic_mismatch(p: Proposal) -> list[Finding]:
    allowed = p.kind.allowed_generics()
    if not allowed:
        return []
    if p.generic and any(p.generic.endswith(term) for term in allowed):
        return []
    shown = p.generic or "（无）"
    return [Finding("generic_mismatch", ERROR,
                    f"通名“{shown}”不适用于{p.kind.name}；可用的通名：{'、'.join(allowed)}。",
                    {"generic": p.generic, "kind": p.kind.code, "allowed": allowed})]


def latin_letters(p: Proposal) -> list[Finding]:
    letters = sorted({c for c in p.name if _latin(c)})
    if not letters:
        return []
    return [Finding("latin_letters", ERROR, f"名称含有拉丁字母：{''.join(letters)}。", {"characters": letters})]


def digits(p: Proposal) -> list[Finding]:
    found = sorted({c for c in p.name if c.isdigit()})
    if not found:
        return []
    return [Finding("digits", ERROR, f"名称含有阿拉伯数字：{''.join(found)}，序数请用汉字（如“经五路”）。",
                    {"characters": found})]


def invalid_character(p: Proposal) -> list[Finding]:
    found = sorted({c for c in p.name if not c.isalnum() and not _han(c)})
    if not found:
        return []
    shown = "、".join(repr(c) if c.isspace() else c for c in found)
    return [Finding("invalid_character", ERROR, f"名称含有空格、标点或符号：{shown}。", {"characters": found})]


def rare_character(p: Proposal) -> list[Finding]:
    local = {w.word for w in p.words[WordCategory.LOCAL_CHARACTER]}
    rare = []
    for char in dict.fromkeys(p.name):
        if not _han(char) or char in local or unicodedata.normalize("NFKC", char) != char:
            continue
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            rare.append(char)
    if not rare:
        return []
    return [Finding("rare_character", WARNING, f"生僻字：{'、'.join(rare)}（不在 GB 2312 常用字集中）。",
                    {"characters": rare})]


def variant_character(p: Proposal) -> list[Finding]:
    variants = {c: unicodedata.normalize("NFKC", c) for c in p.name if _han(c)}
    variants = {c: n for c, n in variants.items() if n != c}
    if not variants:
        return []
    shown = "、".join(f"{c}→{n}" for c, n in variants.items())
    return [Finding("variant_character", ERROR, f"名称含有兼容区异体字：{shown}。",
                    {"characters": list(variants), "standard": list(variants.values())})]


def empty_specific(p: Proposal) -> list[Finding]:
    if p.specific.strip():
        return []
    return [Finding("empty_specific", ERROR, "专名为空：地名须由专名和通名组成。", {})]


def split_mismatch(p: Proposal) -> list[Finding]:
    if p.specific + p.generic == p.name:
        return []
    return [Finding("split_mismatch", ERROR,
                    f"专名“{p.specific}”加通名“{p.generic}”与名称“{p.name}”不一致。",
                    {"specific": p.specific, "generic": p.generic})]


def too_long(p: Proposal) -> list[Finding]:
    limit = _max_length()
    if len(p.name) <= limit:
        return []
    return [Finding("too_long", ERROR, f"名称共 {len(p.name)} 个字，超过上限 {limit} 个字。",
                    {"length": len(p.name), "limit": limit})]


def geometry_mismatch(p: Proposal) -> list[Finding]:
    if p.geometry_type is None:
        return []
    allowed = [k.strip() for k in p.kind.geometry_kinds.split(",") if k.strip()]
    if GEOMETRY_KIND_OF.get(p.geometry_type) in allowed:
        return []
    return [Finding("geometry_mismatch", ERROR,
                    f"{p.kind.name}的几何应为{'、'.join(_GEOMETRY_LABEL.get(a, a) for a in allowed)}，"
                    f"收到的是 {p.geometry_type}。",
                    {"geometry_type": p.geometry_type, "allowed": allowed})]


_GEOMETRY_LABEL = {"line": "线", "polygon": "面", "point": "点"}


def unchanged_name(p: Proposal) -> list[Finding]:
    if not p.current_name or p.current_name != p.name:
        return []
    return [Finding("unchanged_name", ERROR, f"新名称与现用名称“{p.current_name}”相同。", {})]


RULES: dict[str, Callable[[Proposal], list[Finding]]] = {
    "empty_specific": empty_specific,
    "split_mismatch": split_mismatch,
    "too_long": too_long,
    "latin_letters": latin_letters,
    "digits": digits,
    "invalid_character": invalid_character,
    "variant_character": variant_character,
    "rare_character": rare_character,
    "generic_mismatch": generic_mismatch,
    "geometry_mismatch": geometry_mismatch,
    "foreign_name": foreign_name,
    "enterprise_name": enterprise_name,
    "leader_name": leader_name,
    "grandiose_word": grandiose_word,
    "unchanged_name": unchanged_name,
    "duplicate_name": duplicate_name,
    "homophone": homophone,
}


def check(proposal: Proposal) -> list[Finding]:
    """Every finding of every rule, errors first."""
    findings = [finding for rule in RULES.values() for finding in rule(proposal)]
    return sorted(findings, key=lambda f: f.severity != ERROR)
