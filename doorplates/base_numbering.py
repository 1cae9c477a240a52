"""Numbering without a road: within a village or natural village (苍坡村12号) and within a residential area
(翠微小区3幢2单元501室).

A village has no line to measure chainage along, so there is no side and no parity: its plates are numbered 1, 2,
3 ... in the order they are given (the next is one above the highest), each number once, and an infill number
(12号之一) or an annex (附12号) follows a number that exists. A village that numbers within each villager group
(村民小组: 苍坡村3组12号) does all of that per group: 3组12号 and 4组12号 are two plates, each group counts from 1. A residential area numbers its buildings (幢), the units
of each building (单元) and the rooms of each unit (室): each building, unit and room once, buildings and units
counted from 1 without gaps, and a unit or room plate under a building (and unit) that has its own plate. Both check
that a plate stands in or near its base. Plain values in, findings out: doorplates.services reads the plates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from doorplates.addresses import HouseNumber, building_label, group_label, parts_label, unit_label
from doorplates.numbering import Finding

VILLAGE_KINDS = ("duplicate", "gap", "orphan_infill", "too_far")
RESIDENTIAL_KINDS = ("duplicate", "gap", "missing_building", "missing_unit", "too_far")


@dataclass
class Member:
    """A plate of a village or residential area, as the checks see it."""

    key: object  # the plate (or any caller's handle)
    number: HouseNumber | None
    building: str = ""
    unit: str = ""
    room: str = ""
    plate_type: str = "door"
    distance_m: float = 0.0  # outside the base's outline (0 inside it)
    group: int = 0  # a village's villager group (村民小组), 0 when none

    @property
    def label(self) -> str:
        return (group_label(self.group) + (self.number.label if self.number else "")
                + parts_label(self.building, self.unit, self.room))

    @property
    def identity(self) -> tuple:
        return (self.group, self.number.key if self.number else None, self.building, self.unit, self.room)


@dataclass
class Suggestion:
    number: HouseNumber
    reason: str  # first, after_last
    highest: HouseNumber | None = None
    detail: dict = field(default_factory=dict)


def suggest_in_village(members: list[Member], group: int = 0) -> Suggestion:
    """The next number of a village (of its villager group ``group``): one above the highest plain number, 1 for the
    first plate."""
    plain = [m.number for m in members if m.number and not m.number.sub and not m.number.annex and m.group == group]
    if not plain:
        return Suggestion(HouseNumber(1), "first")
    highest = max(plain, key=lambda n: n.number)
    return Suggestion(HouseNumber(highest.number + 1), "after_last", highest)


def check_village(members: list[Member], max_distance_m: float) -> list[Finding]:
    """Duplicates, numbers skipped between 1 and the highest, infill numbers of a number nobody has, plates far
    outside the village; numbers are counted within each villager group."""
    findings = _duplicates(members)
    groups: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        groups[m.group].append(m)
    for group in sorted(groups):
        findings += _village_numbers(groups[group], group)
    findings += _too_far(members, max_distance_m)
    return findings


def _village_numbers(members: list[Member], group: int) -> list[Finding]:
    findings = []
    plain = {m.number.number for m in members if m.number and not m.number.sub and not m.number.annex}
    missing = sorted(set(range(1, max(plain) + 1)) - plain) if plain else []
    if missing and group:
        findings.append(Finding("gap", [], _("Numbers skipped in %(group)s: %(numbers)s")
                                % {"group": group_label(group), "numbers": _ranges(missing)},
                                {"missing": missing[:200], "villager_group": group}))
    elif missing:
        findings.append(Finding("gap", [], _("Numbers skipped: %(numbers)s") % {"numbers": _ranges(missing)},
                                {"missing": missing[:200]}))
    for m in members:
        if m.number and (m.number.sub or m.number.annex) and m.number.number not in plain:
            findings.append(Finding("orphan_infill", [m.key],
                                    _("%(label)s follows %(number)s, which no plate has")
                                    % {"label": m.label, "number": group_label(group) + HouseNumber(m.number.number).label},
                                    {"number": m.number.number}))
    return findings


def check_residential(members: list[Member], max_distance_m: float) -> list[Finding]:
    """Duplicates, buildings or units skipped, unit and room plates whose building (or unit) has no plate, plates
    far outside the residential area."""
    findings = _duplicates(members)
    buildings = {m.building for m in members if m.building}
    building_plates = {m.building for m in members if m.building and not m.unit and not m.room}
    unit_plates = {(m.building, m.unit) for m in members if m.building and m.unit and not m.room}
    findings += _skipped(buildings, _("Buildings skipped: %(labels)s"), building_label, {})
    units = defaultdict(set)
    for m in members:
        if m.building and m.unit:
            units[m.building].add(m.unit)
    for building in sorted(units, key=_sort_key):
        findings += _skipped(units[building], _("Units of %(building)s skipped: %(labels)s"), unit_label,
                             {"building": building_label(building)})
    for m in members:
        if (m.unit or m.room) and m.building and m.building not in building_plates:
            findings.append(Finding("missing_building", [m.key],
                                    _("%(label)s: building %(building)s has no building plate")
                                    % {"label": m.label, "building": building_label(m.building)},
                                    {"building": m.building}))
        elif m.room and m.unit and (m.building, m.unit) not in unit_plates:
            findings.append(Finding("missing_unit", [m.key],
                                    _("%(label)s: unit %(unit)s has no unit plate")
                                    % {"label": m.label, "unit": building_label(m.building) + unit_label(m.unit)},
                                    {"building": m.building, "unit": m.unit}))
    findings += _too_far(members, max_distance_m)
    return findings


def _duplicates(members: list[Member]) -> list[Finding]:
    groups = defaultdict(list)
    for m in members:
        groups[m.identity].append(m)
    return [Finding("duplicate", [m.key for m in group],
                    _("%(label)s appears %(count)d times") % {"label": group[0].label, "count": len(group)},
                    {"count": len(group)})
            for group in groups.values() if len(group) > 1]


def _skipped(labels: set[str], message: str, label_of, words: dict) -> list[Finding]:
    """A gap among numeric labels (1, 2, 4: 3 is skipped); labels that are not numbers (A, 东) are not counted."""
    numbers = {int(v) for v in labels if v.isdecimal()}
    missing = sorted(set(range(1, max(numbers) + 1)) - numbers) if numbers else []
    if not missing:
        return []
    text = message % {**words, "labels": ", ".join(label_of(str(n)) for n in missing[:20])}
    return [Finding("gap", [], text, {"missing": missing[:200], **({"building": words["building"]} if words else {})})]


def _too_far(members: list[Member], max_distance_m: float) -> list[Finding]:
    return [Finding("too_far", [m.key], _("%(label)s is %(distance).0f m outside its base (more than %(limit).0f m)")
                    % {"label": m.label, "distance": m.distance_m, "limit": max_distance_m},
                    {"distance_m": round(m.distance_m, 1)})
            for m in members if m.distance_m > max_distance_m]


def _ranges(numbers: list[int]) -> str:
    """3, 5-7, 10 (at most 20 runs written out)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs[:20])
    return text + (" …" if len(runs) > 20 else "")


def _sort_key(label: str):
    return (0, int(label), "") if label.isdecimal() else (1, 0, label)
