"""Which fields of a record are private, and who may see them: one declaration per model, read everywhere.

An app declares its personal or private fields once, beside the model::

    declare_private("canteens.Canteen", ("operator", "operator_phone"), roles=(Role.OFFICER, Role.REVIEWER))

and every view of the record applies it: the app's API and pages (``hidden_from``), the record's history from
the audit log and the admin's change log (``visible_history``, ``visible_change``), and the map layer (its
``private_properties``). A history shows a viewer exactly the fields the record itself shows them: a snapshot
holds every column, so without this an old phone number would leak through ``before`` and ``after`` to anyone who
may read the record. Administrators (and superusers) hold every role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.scoping import has_role


@dataclass(frozen=True)
class PrivateFields:
    fields: tuple[str, ...]
    roles: tuple[str, ...]  # who may see them, besides administrators

    def hidden_from(self, user) -> frozenset[str]:
        return frozenset() if has_role(user, *self.roles) else frozenset(self.fields)


_DECLARED: dict[str, PrivateFields] = {}


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


def declare_private(model, fields: tuple[str, ...], *, roles: tuple[str, ...]) -> PrivateFields:
    """``model`` ("app_label.ModelName" or the class): its ``fields`` are seen only by ``roles``."""
    declared = PrivateFields(tuple(fields), tuple(roles))
    label = _label(model)
    if _DECLARED.get(label, declared) != declared:
        raise ValueError(f"private fields of {label} are declared twice, differently")
    _DECLARED[label] = declared
    return declared


def private_fields(model) -> PrivateFields | None:
    return _DECLARED.get(_label(model))


def hidden_from(user, model) -> frozenset[str]:
    """The fields of ``model`` that ``user`` may not see (empty when nothing is declared)."""
    declared = private_fields(model)
    return declared.hidden_from(user) if declared else frozenset()


def without(data: dict | None, hidden: frozenset[str]) -> dict | None:
    """``data`` (a snapshot, a serialised record) without the hidden fields; a foreign key's ``_id`` too."""
    if not data or not hidden:
        return data
    return {k: v for k, v in data.items() if k not in hidden and not (k.endswith("_id") and k[:-3] in hidden)}


@dataclass(frozen=True)
class VisibleChange:
    """A ``Change`` as one viewer may see it: before, after and the changed fields without what is hidden."""

    change: Any
    before: dict | None
    after: dict | None
    model: Any = None

    def __getattr__(self, name):
        return getattr(self.change, name)

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))

    def field_changes(self):
        """The changed fields by label, before and after in words (audit.history), for a page."""
        from audit.history import field_changes

        return field_changes(self, self.model)

    def as_dict(self) -> dict:
        return {"at": self.change.at.isoformat(), "action": self.change.action,
                "actor": getattr(self.change.actor, "username", None), "reason": self.change.reason,
                "changed": self.changed_fields(), "before": self.before, "after": self.after}


def visible_change(change, user, model=None) -> VisibleChange:
    if model is None:
        model = change.object_type.model_class()
    hidden = hidden_from(user, model) if model is not None else frozenset()
    return VisibleChange(change, without(change.before, hidden), without(change.after, hidden), model)


def visible_history(obj, user, limit: int | None = None) -> list[VisibleChange]:
    """The audit log of ``obj``, newest first, as ``user`` may see it."""
    from audit.services import history

    changes = history(obj)
    if limit is not None:
        changes = changes[:limit]
    return [visible_change(change, user, type(obj)) for change in changes]
