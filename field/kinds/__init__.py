"""Kinds of field task. A kind is a form definition (what the app shows and sends) and an adapter (which records
are tasks, their current values and per-field versions, and how a submission is written through the owning
domain's audited services). A new kind is a module here and a line in KINDS.

Adapters live in field/, above the domain apps; they call each domain's small named interface, never a model the
import contracts protect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.models import Change
from boundaries.models import AdminArea
from gis.errors import InputError, NotFound


@dataclass(frozen=True)
class Field:
    """One input of a form. ``sources`` are the stored fields of the record it edits (for its version)."""

    name: str
    label: Any
    type: str = "text"  # choice | text | line (one line of text) | number | boolean | date | photo | signature
    choices: tuple = ()
    required: bool = False
    help: Any = ""
    sources: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (a value an older form offered, the choice it now is)

    def chosen(self, value):
        """The choice ``value`` stands for: itself, or the choice it is an alias of (a record queued on a device
        before its form changed is still taken)."""
        if isinstance(value, str) and value not in {c[0] for c in self.choices}:
            return dict(self.aliases).get(value, value)
        return value

    def as_json(self) -> dict:
        out = {"name": self.name, "label": str(self.label), "type": self.type,
               "choices": [[value, str(label)] for value, label in self.choices], "required": self.required,
               "help": str(self.help)}
        if self.aliases:  # the device shows a queued record's old value as the choice it now is
            out["aliases"] = dict(self.aliases)
        return out


@dataclass
class Task:
    record_id: str
    title: str
    subtitle: str = ""
    lon: float | None = None
    lat: float | None = None
    values: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    due: dt.date | None = None
    qr: str | None = None
    area: Any = None  # the AdminArea the record lies in (for review scoping)
    open: bool = True  # still a task (a closed one leaves packages but still answers its submissions)
    personal: dict = field(default_factory=dict)  # shown only to the assigned crew and the region's officers
    obj: Any = None  # the domain object, for the adapter's own use


@dataclass
class Evidence:
    """What a submission brings besides its field values, for an adapter to attach to the domain record."""

    position: dict | None
    photos: list  # [(Upload, role, taken_at)]
    signatures: list  # [(Upload, role, signer)]
    remarks: str = ""


class TaskKind:
    key = ""
    label: Any = ""
    accuracy_m: float | None = None  # a GNSS position must be at least this good; None: no position needed
    fix_count = 5
    fields: tuple[Field, ...] = ()
    photo_roles: tuple = ()  # ((role, label, required), ...)
    signatures: tuple = ()  # ((role, label), ...)
    watched: tuple[tuple[str, str], ...] = ()  # (app_label, model) whose changes may change tasks
    creates = False  # True: each record is a new one (the task is where it goes), written by the office's review
    map_position = False  # True: a position tapped on the map (method "map") is taken too

    def as_json(self) -> dict:
        return {"key": self.key, "label": str(self.label), "accuracy_m": self.accuracy_m, "fix_count": self.fix_count,
                "form": {"fields": [f.as_json() for f in self.fields],
                         "photo_roles": [{"role": r, "label": str(label), "required": req}
                                         for r, label, req in self.photo_roles],
                         "signatures": [{"role": r, "label": str(label)} for r, label in self.signatures]}}

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    # -- what an adapter provides ------------------------------------------------------------------------------
    def tasks(self, user, prefix: str | None, only: set[str] | None = None) -> list[Task]:
        """The tasks in the admin area whose code12 starts with ``prefix`` (None: all the user sees), limited to
        the records ``only`` when given, as ``user`` may see them."""
        raise NotImplementedError

    def apply(self, actor, task: Task, changes: dict, evidence: Evidence) -> None:
        """Writes ``changes`` (already checked against the form and free of conflicts) through the domain's
        services; raises a DimingError to refuse."""
        raise NotImplementedError

    def count(self, user, prefix: str | None) -> int:
        """How many tasks ``tasks`` would list (a package listing asks for this only)."""
        return sum(1 for t in self.tasks(user, prefix) if t.open)

    def unavailable(self, user) -> str | None:
        """Why ``user`` cannot use this kind now (words for the crew), or None."""
        return None

    def title_of(self, task: Task, changes: dict) -> str:
        """What a submission is called in the office's lists."""
        return task.title

    def area_of(self, task: Task, position) -> Any:
        """The admin area a submission is filed under (its review goes to that region's officers)."""
        return task.area

    def on_review(self, user, sub, state: str, options: dict) -> None:
        """What the office's review state ``state`` does beyond the comment (in its transaction); raise to refuse."""

    def review_context(self, user, sub) -> dict:
        """What the review page shows about ``sub`` beyond its values."""
        return {}

    def lookup(self, user, text: str) -> str | None:
        """The record a scanned QR text names, if it is one of this kind's."""
        return None

    def changed_records(self, since: dt.datetime) -> set[str] | None:
        """Record ids whose task may have changed since ``since``; None: the adapter cannot tell (all)."""
        return None

    def record_url(self, record_id: str, task: Task | None = None) -> str | None:
        """The office page of the record (for the review page's link); ``task`` when the record is still a task."""
        return None

    def were_in(self, prefix: str, record_ids: set[str]) -> set[str]:
        """Of ``record_ids``, those whose record lay in the area under ``prefix`` at some time (so a package of
        that area may hold its task): a record that moved out is named as removed there, and nowhere else."""
        return set()

    # -- shared ------------------------------------------------------------------------------------------------
    def task(self, user, record_id: str) -> Task:
        found = self.tasks(user, None, only={str(record_id)})
        if not found or found[0].obj is None:  # not the user's, or no longer a task (its inspection is over)
            raise NotFound(_("No such task, or it is outside your region."), code="unknown_task",
                           where={"record_id": str(record_id)[:64]})
        return found[0]

    def clean(self, changes: dict) -> dict:
        """The submitted values, checked against the form: known fields, choices, types."""
        if not isinstance(changes, dict):
            raise InputError(_("The changes must be an object of field names and values."), code="invalid_changes")
        out = {}
        for name, value in changes.items():
            spec = self.field(name)
            if spec is None or spec.type in ("photo", "signature"):
                raise InputError(_("Unknown field %(name)s.") % {"name": str(name)[:40]}, code="unknown_field",
                                 where={"field": str(name)[:40]})
            out[name] = _clean_value(spec, value)
        return out


def _clean_value(spec: Field, value):
    where = {"field": spec.name}
    if value is None:
        if spec.required:
            raise InputError(_("%(label)s is required.") % {"label": spec.label}, code="required", where=where)
        return None
    if spec.type == "choice":
        value = spec.chosen(value)
        if isinstance(value, list | dict) or value not in {c[0] for c in spec.choices}:
            raise InputError(_("%(label)s: not one of the choices.") % {"label": spec.label}, code="invalid_choice",
                             where=where)
        return value
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise InputError(_("%(label)s must be yes or no.") % {"label": spec.label}, code="invalid_value",
                             where=where)
        return value
    if spec.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value or abs(value) > 1e9:
            raise InputError(_("%(label)s must be a number.") % {"label": spec.label}, code="invalid_value",
                             where=where)
        return value
    if spec.type == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise InputError(_("%(label)s must be a date (YYYY-MM-DD).") % {"label": spec.label},
                             code="invalid_value", where=where) from None
    if not isinstance(value, str) or len(value) > 2000:
        raise InputError(_("%(label)s must be text of at most 2000 characters.") % {"label": spec.label},
                         code="invalid_value", where=where)
    return value.strip()


def audit_versions(app_label: str, model: str, objects: dict[str, list[str]], kind: TaskKind) -> dict[str, dict]:
    """Per-field versions of records from the audit log: a field's version is the number of recorded changes
    that changed one of its stored fields (1 for a value set at creation). ``objects`` maps each record id to the
    primary keys of the rows that hold it (a record kept in several versioned rows names them all)."""
    content_type = ContentType.objects.get_by_natural_key(app_label, model)
    owner = {str(pk): record_id for record_id, pks in objects.items() for pk in pks}
    versions = {record_id: {f.name: 0 for f in kind.fields if f.sources} for record_id in objects}
    # Counted in any order, so none is asked: sorted by time, a cursor's plan walked the whole log by its time index
    # (a second in a log of millions) instead of reading these records' rows from the (type, id) index.
    rows = (Change.objects.filter(object_type=content_type, object_id__in=list(owner))
            .order_by().values_list("object_id", "before", "after"))
    for object_id, before, after in rows.iterator(chunk_size=2000):
        before, after = before or {}, after or {}
        counts = versions[owner[object_id]]
        for spec in kind.fields:
            if any(before.get(s) != after.get(s) for s in spec.sources):
                counts[spec.name] += 1
    return versions


def changed_since(app_label: str, model: str, since: dt.datetime, key: str | None = None) -> list[str]:
    """The ids of the rows of ``model`` changed since ``since`` (or their field ``key``, read from the audit rows'
    snapshots, e.g. the public UUID of a row whose primary key is an integer)."""
    content_type = ContentType.objects.get_by_natural_key(app_label, model)
    if key is not None:
        rows = Change.objects.filter(object_type=content_type, at__gte=since).values_list("before", "after")
        return list({str((after or {}).get(key) or (before or {}).get(key)) for before, after in rows} - {"None"})
    return list(Change.objects.filter(object_type=content_type, at__gte=since)
                .values_list("object_id", flat=True).distinct())


def were_in_area(app_label: str, model: str, prefix: str, record_ids: set[str], key: str | None = None) -> set[str]:
    """Of ``record_ids``, those with an audit row of ``model`` made while the row lay under ``prefix`` (the audit
    log keeps each change's area code). ``key``: the snapshot field holding the record id, when it is not the
    primary key (as in changed_since)."""
    if not record_ids or not prefix:
        return set()
    content_type = ContentType.objects.get_by_natural_key(app_label, model)
    # A change made while the row lay there, or one that moved it away (its "before" names the old area; a record
    # loaded in bulk may have no earlier audit row).
    areas = list(AdminArea.objects.filter(code12__startswith=prefix).values_list("pk", flat=True))
    rows = Change.objects.filter(Q(area_code12__startswith=prefix) | Q(before__area_id__in=areas),
                                 object_type=content_type)
    ids = sorted(record_ids)
    if key is None:
        return set(rows.filter(object_id__in=ids).values_list("object_id", flat=True).distinct())
    found = rows.filter(Q(**{f"after__{key}__in": ids}) | Q(**{f"before__{key}__in": ids}))
    out = set()
    for before, after in found.values_list("before", "after"):
        out |= {str(s.get(key)) for s in (before or {}, after or {}) if s.get(key) is not None}
    return out & record_ids


def kinds() -> dict[str, TaskKind]:
    from field.kinds.graves import GRAVE_KINDS
    from field.kinds.markers import MarkerInspection
    from field.kinds.plates import PlateDamage
    from field.kinds.rural import RuralName
    from field.kinds.signs import SignDamage

    found = [*GRAVE_KINDS, MarkerInspection(), PlateDamage(), SignDamage(), RuralName()]
    return {k.key: k for k in found}


def kind_of(key) -> TaskKind:
    found = kinds().get(str(key)) if isinstance(key, str) else None
    if found is None:
        raise InputError(_("Unknown task type."), code="unknown_task_type", where={"type": str(key)[:40]})
    return found
