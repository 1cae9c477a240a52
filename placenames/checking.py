"""Checking (校核): the rules that flag a loaded record, and the queue where officers confirm or correct it.

The rules: a missing or wrong pinyin, the same name in the county for another kind of place, a homophone in the
county, a geometry outside its declared area or far from it, a category that does not fit the generic term. The
row rules run here; the rules that need the whole register run in SQL during the load (placenames.bulk_sql).
Every decision is written to the audit log, and the number of records checked is a figure on the home page.
"""

from __future__ import annotations

import json
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from accounts.scoping import area_prefixes, can_act_in, has_role
from audit.models import Action
from audit.services import record, snapshot
from core.params import within
from gis.errors import Conflict, DimingError, InputError, NotFound, PermissionDenied
from placenames.bases import (
    NATURAL_VILLAGE_CATEGORY,
    NATURAL_VILLAGE_GENERIC,
    NATURAL_VILLAGE_KIND,
    is_natural_village,
)
from placenames.models import ROAD_KINDS, CheckFlag, FlagState, Place, PlaceCategory, PlaceKind
from placenames.pinyin import initials_key, pinyin_key, split_name, village_romanization
from placenames.registry_models import RECODED_CATEGORY_CODES, RECODED_CATEGORY_NAMES

RULES = {
    "pinyin_missing": gettext_lazy("Pinyin missing"),
    "pinyin_mismatch": gettext_lazy("Pinyin differs from the standard reading"),
    "pinyin_one_word": gettext_lazy("A natural village's pinyin is written as one word"),
    "duplicate_name": gettext_lazy("Same name for another kind of place in the county"),
    "homophone": gettext_lazy("Sounds like another name in the county"),
    "outside_area": gettext_lazy("Geometry outside its area"),
    "far_from_area": gettext_lazy("Geometry far from its area"),
    "generic_mismatch": gettext_lazy("Category does not fit the generic term"),
    "duplicate_registered": gettext_lazy("Same name already registered in the county"),
}
_LETTERS = re.compile(r"[^a-z0-9]")
TONE_MARKS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ", "aaaaeeeeiiiioooouuuuvvvvvnnn")


def _letters(pinyin: str) -> str:
    return _LETTERS.sub("", pinyin.lower().translate(TONE_MARKS))


def row_flags(name: str, given_pinyin: str, category: PlaceCategory, *, standard: str | None = None,
              generic: str | None = None) -> list[dict]:
    """The flags a row earns by itself: pinyin and the generic term against the category (``standard`` and
    ``generic``: the reading and the generic term when the caller has them already)."""
    flags = []
    if standard is None:
        try:
            standard = village_romanization(name, natural_village=category.code == NATURAL_VILLAGE_CATEGORY)
        except DimingError:
            standard = ""
    if not given_pinyin and not standard:
        flags.append({"code": "pinyin_missing", "evidence": {}})
    elif given_pinyin and standard and _letters(given_pinyin) != _letters(standard):
        flags.append({"code": "pinyin_mismatch", "evidence": {"given": given_pinyin[:100], "standard": standard}})
    elif given_pinyin and standard and category.code == NATURAL_VILLAGE_CATEGORY and given_pinyin.strip() != standard:
        flags.append({"code": "pinyin_one_word", "evidence": {"given": given_pinyin[:100], "standard": standard}})
    if generic is None:
        try:
            generic = split_name(name)[1]
        except DimingError:
            generic = ""
    if not fits(category, generic):
        flags.append({"code": "generic_mismatch", "evidence": {"generic": generic, "category": category.code}})
    return flags


# GB/T 18521 and the census file every street, road, lane and avenue under one category (2351 道路街巷); the register
# keeps the four kinds apart (their generic terms and pinyin differ: placenames.models.ROAD_KINDS), so such a place
# takes the kind its generic names.


def road_terms(kinds) -> tuple[tuple[str, int], ...]:
    """(generic term, kind id) of the road kinds, the longest term first (大道 before 道)."""
    terms = [(term, kind.pk) for kind in kinds if kind.code in ROAD_KINDS for term in kind.allowed_generics()]
    return tuple(sorted(terms, key=lambda t: -len(t[0])))


def kind_for(category: PlaceCategory, generic: str, terms: tuple[tuple[str, int], ...]) -> int:
    """The kind (id) of a place filed under ``category`` whose generic term is ``generic``: the category's own, but a
    road-kind category gives a 街, 巷 or 大道 name the street, lane or avenue kind (``terms``: road_terms)."""
    if generic and category.kind.code in ROAD_KINDS:
        for term, kind_id in terms:
            if generic.endswith(term):
                return kind_id
    return category.kind_id


def category_for_code(code: str, categories: dict):
    """The category a file's code names: the GB/T 18521 code itself, or the national place-name database's five-digit
    place_type_code: that code padded with zeros (22200 农村居民点 is 222, 21620 社区 is 2162), or a finer class of one
    (23512 主干路 belongs to 2351), the codes being hierarchical; or a code or name migration 0009 replaced (a file made
    before it), standing for the code its category took. A category the bureau names so today is that category."""
    code = (code or "").strip()
    found = (categories.get(code) or categories.get(RECODED_CATEGORY_CODES.get(code))
             or categories.get(RECODED_CATEGORY_NAMES.get(code)))
    if found is None and len(code) == 5 and code.isdigit():
        for prefix in (code.rstrip("0"), code[:4], code[:3]):
            if len(prefix) >= 3 and prefix in categories:
                return categories[prefix]
    return found


def fits(category: PlaceCategory, generic: str) -> bool:
    if not generic:
        return category.no_generic_allowed or not category.allowed_generics()
    allowed = category.allowed_generics()
    return not allowed or any(generic.endswith(term) for term in allowed)


def flags_json(flags: list[dict]) -> str:
    return json.dumps(flags, ensure_ascii=False)


def explain(flag: CheckFlag, categories: dict | None = None) -> str:
    """What a flag means, with its evidence, in words for officers; ``categories`` (code -> category), when a page
    explains many flags, saves a query for each."""
    label = str(RULES.get(flag.code, flag.code))
    e = flag.evidence or {}
    if flag.code == "pinyin_mismatch":
        return _("%(label)s: the file says %(given)s, the standard reading is %(standard)s") % {
            "label": label, "given": e.get("given", ""), "standard": e.get("standard", "")}
    if flag.code == "pinyin_one_word":
        return _("%(label)s: the register has %(given)s, the rules write %(standard)s") % {
            "label": label, "given": e.get("given", ""), "standard": e.get("standard", "")}
    if flag.code in ("outside_area", "far_from_area"):
        return _("%(label)s: %(area)s, %(m)s m away") % {"label": label, "area": e.get("area", ""),
                                                          "m": e.get("distance_m", "")}
    if flag.code == "duplicate_registered":
        return _("%(label)s: %(n)s, the nearest %(m)s m away") % {"label": label, "n": e.get("others", ""),
                                                                  "m": e.get("nearest_m", "")}
    if flag.code == "homophone":
        return _("%(label)s: %(names)s") % {"label": label, "names": ", ".join(e.get("names") or [])}
    if flag.code == "generic_mismatch":
        code = e.get("category", "")
        if categories is not None:
            category = categories.get(code) if isinstance(code, str) else None
        else:
            category = PlaceCategory.objects.filter(code=code).first() if isinstance(code, str) and code else None
        return _("%(label)s: generic term “%(generic)s” in category %(category)s") % {
            "label": label, "generic": e.get("generic", ""), "category": category or code}
    return label


def flag_split_natural_villages(places, flags) -> int:
    """Flags (pinyin_one_word) each natural village among ``places`` whose stored romanization is not the one word
    the rules write (1984 rules art. 3; placenames.pinyin.village_romanization), for an officer to correct or confirm
    in the checking queue: names stored before that rule, or a file's own pinyin, are not rewritten unseen. A name
    whose pinyin an officer set, or a place checked under this rule before, is left. ``places`` and ``flags`` are the
    Place and CheckFlag managers, real or a migration's; returns how many were flagged."""
    villages = places.filter(status="in_use").filter(
        Q(kind__code=NATURAL_VILLAGE_KIND) | Q(census__category__code=NATURAL_VILLAGE_CATEGORY)
        | Q(names__valid_to__isnull=True, names__generic=NATURAL_VILLAGE_GENERIC))
    names = places.model._meta.get_field("names").related_model.objects
    villages = villages.exclude(pk__in=names.filter(valid_to__isnull=True, pinyin_overridden=True).values("place"))
    villages = villages.exclude(pk__in=flags.filter(code="pinyin_one_word").values("place"))
    new = []
    for pk, name, stored in villages.distinct().values_list("pk", "name", "pinyin").iterator(chunk_size=2000):
        try:
            standard = village_romanization(name, natural_village=True)
        except DimingError:
            continue
        if stored and standard and stored.strip() != standard:
            new.append(flags.model(place_id=pk, code="pinyin_one_word", message="",
                                   evidence={"given": stored[:100], "standard": standard}))
    flags.bulk_create(new, batch_size=2000)
    return len(new)


def flag_new_place(place: Place, category: PlaceCategory) -> list[CheckFlag]:
    """Flags one record added by hand (a name a crew collected): the row rules, and against the register of its
    county: the same name for another kind of place, the same name already registered, a homophone. The bulk
    load runs the same rules in SQL (placenames.bulk_sql)."""
    from gis.crs import METRIC_SRID

    found = row_flags(place.name, place.pinyin, category)
    others = (Place.objects.exclude(pk=place.pk).exclude(status="retired")
              .filter(area__code12__startswith=place.area.code12[:6]))
    namesakes = list(others.filter(name=place.name).only("geom", "kind_id"))
    other_kinds = [p for p in namesakes if p.kind_id != place.kind_id]
    if other_kinds:
        found.append({"code": "duplicate_name", "evidence": {"others": len(other_kinds)}})
    if namesakes:
        here = place.geom.transform(METRIC_SRID, clone=True)
        nearest = min(p.geom.transform(METRIC_SRID, clone=True).distance(here) for p in namesakes)
        found.append({"code": "duplicate_registered", "evidence": {"others": len(namesakes),
                                                                   "nearest_m": round(nearest)}})
    if place.pinyin_key:
        sounds = sorted(set(others.filter(pinyin_key=place.pinyin_key).exclude(name=place.name)
                            .values_list("name", flat=True)[:20]))[:5]
        if sounds:
            found.append({"code": "homophone", "evidence": {"names": sounds}})
    return CheckFlag.objects.bulk_create([CheckFlag(place=place, code=f["code"], message="", evidence=f["evidence"])
                                          for f in found])


# --- the queue ------------------------------------------------------------------------------------------------


def _require_officer(user) -> None:
    if not has_role(user, Role.OFFICER):
        raise PermissionDenied(_("Checking records needs the officer role."), code="role_required")


def queue(user, *, code: str = "", county: str = ""):
    _require_officer(user)
    rows = CheckFlag.objects.open().in_prefixes(area_prefixes(user)).select_related("place", "place__kind",
                                                                                    "place__area")
    if code:
        rows = rows.filter(code=code)
    rows = _in_county(rows, county)
    return rows.defer("place__geom", "place__geom_3857", "place__area__geom", "place__area__geom_3857")


def checked_count(user, county: str = "") -> int | None:
    """Records checked so far in the user's areas, or in one ``county`` of them (code12's first six digits); None for
    who does not check."""
    return _records(user, CheckFlag.objects.checked(), county)


def open_count(user, county: str = "") -> int | None:
    """Records still to check, as ``checked_count``."""
    return _records(user, CheckFlag.objects.open(), county)


def _records(user, flags, county: str) -> int | None:
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.OFFICER):
        return None
    return _in_county(flags.in_prefixes(area_prefixes(user)), county).values("place").distinct().count()


def _in_county(flags, county: str):
    """The flags of places in ``county`` (code12's first six digits); all of them for no county."""
    return flags.filter(place__area__code12__startswith=county[:6]) if county else flags


def _flag_for(user, flag_id: int) -> CheckFlag:
    _require_officer(user)
    flag = CheckFlag.objects.select_for_update().select_related("place", "place__area").filter(pk=flag_id).first()
    if flag is None or not can_act_in(user, flag.place.area):
        raise NotFound(_("No such flagged record."), code="not_found")
    if flag.state != FlagState.OPEN:
        raise Conflict(_("This flag was already settled."), code="already_checked")
    return flag


@transaction.atomic
def confirm(user, flag_id: int, note: str = "") -> CheckFlag:
    """The record is right as it is (e.g. a homophone the county accepts): the flag is closed with the note."""
    flag = _flag_for(user, flag_id)
    return _close(user, flag, FlagState.CONFIRMED, note)


@transaction.atomic
def correct(user, flag_id: int, *, name: str = "", pinyin: str = "", category: str = "", note: str = "",
            version: int | None = None) -> CheckFlag:
    """The officer corrects the record (name, pinyin, category); the flag closes and the change is audited."""
    flag = _flag_for(user, flag_id)
    place = Place.objects.select_for_update().get(pk=flag.place_id)
    place.check_version(version)
    before = snapshot(place, exclude=("geom", "geom_3857"))
    name = (name or "").strip()
    if name and name != place.name:
        _rename_in_place(place, name)
    if pinyin.strip():
        place.pinyin = within(pinyin, 200, _("The pinyin"), "pinyin")
        place.names.current().update(pinyin=place.pinyin, pinyin_overridden=True)
    if category:
        found = category_for_code(category, {c.code: c for c in PlaceCategory.objects.select_related("kind")})
        if found is None:
            raise InputError(_("Unknown category."), where={"field": "category"})
        try:
            generic = split_name(place.name)[1]
        except DimingError:
            generic = ""
        place.kind_id = kind_for(found, generic, road_terms(PlaceKind.objects.all()))
        place.census.category = found
        place.census.save(update_fields=["category"])
    after = snapshot(place, exclude=("geom", "geom_3857"))
    if after != before or category:  # a correction sent as it came changes no record and writes nothing to the audit log
        place.version += 1
        place.save()
        record(place, Action.UPDATE, actor=user, before=before, after=after,
               reason=_("checking: %(rule)s") % {"rule": RULES.get(flag.code, flag.code)})
    return _close(user, flag, FlagState.CORRECTED, note)


def _rename_in_place(place: Place, name: str) -> None:
    """A typing error fixed (not a renaming: no new name version)."""
    if len(name) > 100:
        raise InputError(_("The name is longer than 100 characters."), where={"field": "name"})
    try:
        specific, generic = split_name(name)
        reading = village_romanization(name, natural_village=is_natural_village(place))
    except DimingError:
        specific, generic, reading = name, "", ""
    if len(specific) > 80:
        raise InputError(_("The specific term of the name is longer than 80 characters."), where={"field": "name"})
    place.name, place.pinyin = name, reading
    place.pinyin_key, place.initials = (pinyin_key(name), initials_key(name)) if reading else ("", "")
    place.names.current().update(full_name=name, specific=specific, generic=generic, pinyin=reading,
                                 pinyin_overridden=False)


def _close(user, flag: CheckFlag, state: str, note: str) -> CheckFlag:
    flag.state, flag.checked_by, flag.checked_at = state, user, timezone.now()
    flag.note = within(note, 2000, _("The note"), "note")
    flag.save(update_fields=["state", "checked_by", "checked_at", "note"])
    record(flag, Action.TRANSITION, actor=user, reason=flag.note)
    return flag
