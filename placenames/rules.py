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
from django.utils.translation import gettext_lazy, pgettext_lazy

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
    "duplicate_name": gettext_lazy(
        "Regulations on Place Names, art. 9: street, road and lane names and the names of important residential areas "
        "and buildings in one built-up area must not repeat. This system checks within the county."),
    "homophone": gettext_lazy(
        "Regulations on Place Names, art. 9 asks to avoid homophones. Names that sound the same (tones aside) are "
        "confused in emergency calls, deliveries and navigation; if one is truly needed, write down why."),
    "foreign_name": gettext_lazy(
        "Regulations on Place Names, art. 9: no names of foreign people or places. The word list is edited in the "
        "admin."),
    "enterprise_name": gettext_lazy(
        "Regulations on Place Names, art. 9: no enterprise names or trademarks as place names. The word list is "
        "edited in the admin."),
    "leader_name": gettext_lazy(
        "Regulations on Place Names, art. 9: no names of state leaders as place names. The word list is edited in "
        "the admin."),
    "grandiose_word": gettext_lazy(
        "The clean-up of big, foreign, odd and duplicated names asks to avoid grandiose and foreign-worshipping "
        "words. The list is the bureau's editable reference; a hit needs a written justification."),
    "generic_mismatch": gettext_lazy(
        "The generic term must fit the kind of place (a residential area's, a road's). The generic terms each kind "
        "allows are kept in the admin under place kinds."),
    "latin_letters": gettext_lazy(
        "A standard place name is written in standard Chinese characters, without Latin letters (the system makes "
        "the romanization separately)."),
    "digits": gettext_lazy(
        "Ordinals in a standard place name are written in Chinese characters; Arabic digits appear only in the "
        "romanization (Jing 5 Lu)."),
    "invalid_character": gettext_lazy(
        "A standard place name is made of Chinese characters only, without spaces, punctuation or symbols."),
    "rare_character": gettext_lazy(
        "This character is not in the GB 2312 common set: many systems, navigation apps and signs cannot show it. "
        "Characters in local use can be registered in the admin's word list; otherwise give a reason."),
    "variant_character": gettext_lazy(
        "A compatibility variant is not a standard character: use the standard character it stands for."),
    "empty_specific": gettext_lazy(
        "A place name is made of a specific part and a generic term: the specific part cannot be empty."),
    "split_mismatch": gettext_lazy("The specific part and the generic term together must make the full name."),
    "too_long": gettext_lazy(
        "The name is too long to write, put on a sign or navigate by. The system administrator sets the limit."),
    "geometry_mismatch": gettext_lazy(
        "The geometry type must fit the kind of place (a line for a road; an area or a point for a residential area "
        "or a building)."),
    "unchanged_name": gettext_lazy("The new name of a renaming application is the same as the current name."),
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    evidence: dict = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        return str(EXPLANATIONS.get(self.code, ""))


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
                           _("This county already has a place named “%(name)s” (%(kind)s, %(area)s).")
                           % {"name": first.name, "kind": first.kind.name, "area": first.area.name},
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
        names = _(", ").join(dict.fromkeys(pl.name for pl in alike))
        message = _("“%(name)s” sounds the same as “%(names)s”, already named in this county (%(key)s).")
        out.append(Finding("homophone", WARNING, message % {"name": p.name, "names": names, "key": p.key},
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
            out.append(Finding(code, word.severity, _("The name contains %(what)s “%(word)s”.")
                               % {"what": label, "word": word.word},
                               {"word": word.word, "category": category}))
    return out


def foreign_name(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.FOREIGN, "foreign_name",
                         _("the name of a foreign person or place"))


def enterprise_name(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.ENTERPRISE, "enterprise_name",
                         _("an enterprise name or trademark"))


def leader_name(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.LEADER, "leader_name", _("a leader's name"))


def grandiose_word(p: Proposal) -> list[Finding]:
    return _listed_words(p, WordCategory.GRANDIOSE, "grandiose_word", _("a grandiose word"))


def generic_mismatch(p: Proposal) -> list[Finding]:
    allowed = p.kind.allowed_generics()
    if not allowed:
        return []
    if p.generic and any(p.generic.endswith(term) for term in allowed):
        return []
    message = _("The generic term “%(generic)s” does not fit %(kind)s; generic terms that do: %(allowed)s.") % {
        "generic": p.generic or _("(none)"), "kind": p.kind.name, "allowed": _(", ").join(allowed)}
    return [Finding("generic_mismatch", ERROR, message,
                    {"generic": p.generic, "kind": p.kind.code, "allowed": allowed})]


def latin_letters(p: Proposal) -> list[Finding]:
    letters = sorted({c for c in p.name if _latin(c)})
    if not letters:
        return []
    return [Finding("latin_letters", ERROR, _("The name contains Latin letters: %(letters)s.")
                    % {"letters": "".join(letters)}, {"characters": letters})]


def digits(p: Proposal) -> list[Finding]:
    found = sorted({c for c in p.name if c.isdigit()})
    if not found:
        return []
    message = _("The name contains Arabic digits: %(digits)s; write ordinals in Chinese characters (as in Jingwu "
                "Road).") % {"digits": "".join(found)}
    return [Finding("digits", ERROR, message,
                    {"characters": found})]


def invalid_character(p: Proposal) -> list[Finding]:
    found = sorted({c for c in p.name if not c.isalnum() and not _han(c)})
    if not found:
        return []
    shown = _(", ").join(repr(c) if c.isspace() else c for c in found)
    message = _("The name contains spaces, punctuation or symbols: %(characters)s.") % {"characters": shown}
    return [Finding("invalid_character", ERROR, message, {"characters": found})]


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
    message = _("Rare characters: %(characters)s (not in the GB 2312 common set).") % {
        "characters": _(", ").join(rare)}
    return [Finding("rare_character", WARNING, message,
                    {"characters": rare})]


def variant_character(p: Proposal) -> list[Finding]:
    variants = {c: unicodedata.normalize("NFKC", c) for c in p.name if _han(c)}
    variants = {c: n for c, n in variants.items() if n != c}
    if not variants:
        return []
    shown = _(", ").join(f"{c}→{n}" for c, n in variants.items())
    return [Finding("variant_character", ERROR,
                    _("The name contains compatibility variant characters: %(characters)s.") % {"characters": shown},
                    {"characters": list(variants), "standard": list(variants.values())})]


def empty_specific(p: Proposal) -> list[Finding]:
    if p.specific.strip():
        return []
    return [Finding("empty_specific", ERROR, _(
        "The specific part is empty: a place name is made of a specific part and a generic term."), {})]


def split_mismatch(p: Proposal) -> list[Finding]:
    if p.specific + p.generic == p.name:
        return []
    return [Finding("split_mismatch", ERROR,
                    _("The specific part “%(specific)s” and the generic term “%(generic)s” do not make the name "
                      "“%(name)s”.") % {"specific": p.specific, "generic": p.generic, "name": p.name},
                    {"specific": p.specific, "generic": p.generic})]


def too_long(p: Proposal) -> list[Finding]:
    limit = _max_length()
    if len(p.name) <= limit:
        return []
    return [Finding("too_long", ERROR, _("The name has %(length)s characters, over the limit of %(limit)s.")
                    % {"length": len(p.name), "limit": limit},
                    {"length": len(p.name), "limit": limit})]


def geometry_mismatch(p: Proposal) -> list[Finding]:
    if p.geometry_type is None:
        return []
    allowed = [k.strip() for k in p.kind.geometry_kinds.split(",") if k.strip()]
    if GEOMETRY_KIND_OF.get(p.geometry_type) in allowed:
        return []
    return [Finding("geometry_mismatch", ERROR,
                    _("The geometry of %(kind)s should be %(allowed)s; it is %(received)s.") % {
                        "kind": p.kind.name, "allowed": _(", ").join(geometry_label(a) for a in allowed),
                        "received": geometry_label(GEOMETRY_KIND_OF.get(p.geometry_type, p.geometry_type))},
                    {"geometry_type": p.geometry_type, "allowed": allowed})]


_GEOMETRY_LABEL = {"line": pgettext_lazy("geometry kind", "line"), "polygon": pgettext_lazy("geometry kind", "area"),
                   "point": pgettext_lazy("geometry kind", "point")}


def geometry_label(kind: str) -> str:
    """A geometry kind (point, line, polygon) in words."""
    return str(_GEOMETRY_LABEL.get(kind, kind))


def unchanged_name(p: Proposal) -> list[Finding]:
    if not p.current_name or p.current_name != p.name:
        return []
    return [Finding("unchanged_name", ERROR, _("The new name is the same as the current name “%(name)s”.")
                    % {"name": p.current_name}, {})]


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
