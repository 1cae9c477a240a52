"""Plates reported damaged (损坏门牌): a crew checks each one and says whether it is still damaged, repaired or gone,
with before/after photos, through the doorplate registry's field interface (doorplates.fieldwork)."""

from __future__ import annotations

import uuid as uuidlib

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorplates import fieldwork
from field.kinds import Field, Task, TaskKind, audit_versions, changed_since, were_in_area

FOUND = (("damaged", gettext_lazy("still damaged")), ("installed", gettext_lazy("repaired or replaced")),
         ("retired", gettext_lazy("gone, to be retired")))


def _uuids(values) -> set[str]:
    out = set()
    for value in values:
        try:
            out.add(str(uuidlib.UUID(str(value))))
        except ValueError:
            continue
    return out


class PlateDamage(TaskKind):
    key = "plate_damage"
    label = gettext_lazy("Damaged doorplate")
    accuracy_m = 10.0
    fields = (
        Field("status", gettext_lazy("Plate found"), "choice", FOUND, required=True, sources=("status",)),
        Field("note", gettext_lazy("Note")),
    )
    photo_roles = (("before", gettext_lazy("Before"), True), ("after", gettext_lazy("After"), False))
    watched = (("doorplates", "doorplate"),)

    def tasks(self, user, prefix, only=None):
        plates = fieldwork.plates_for_field(user, prefix, None if only is None else _uuids(only))
        tasks = [Task(record_id=p.uuid, title=p.address, lon=p.lon, lat=p.lat, values={"status": p.status, "note": ""},
                      qr=p.token, area=p.area, open=p.status == "damaged", obj=p) for p in plates]
        versions = audit_versions("doorplates", "doorplate", {t.record_id: [t.record_id] for t in tasks}, self)
        for task in tasks:
            task.versions = versions[task.record_id]
        return tasks

    def count(self, user, prefix):
        return fieldwork.damaged_count(user, prefix)

    def apply(self, actor, task, changes, evidence):
        if "status" in changes:
            fieldwork.record_finding(actor, task.record_id, changes["status"],
                                     reason=changes.get("note") or evidence.remarks or _("field check"))

    def lookup(self, user, text):
        return fieldwork.plate_for_qr(text)

    def changed_records(self, since):
        return set(changed_since("doorplates", "doorplate", since))

    def record_url(self, record_id, task=None):
        return reverse("doorplates:plate", args=[record_id]) if _uuids([record_id]) else None

    def were_in(self, prefix, record_ids):
        return were_in_area("doorplates", "doorplate", prefix, _uuids(record_ids))
