"""Place-name signs reported damaged (标志损坏, GB 17733), on the registry's field interface (placenames.sign_tasks):
a report is the task; the crew closes it repaired (the sign is installed again, recorded on the sign) or with
nothing to repair.

Its one versioned field, the result, is version 0 while the report is open and 1 once anyone closed it: a crew's
result on a report the office closed meanwhile is a conflict. A package's changes name exactly the reports changed
since its cursor, from their audit rows (placenames.sign_tasks.changed_since).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from field.kinds import Field, Task, TaskKind, were_in_area
from gis.errors import NotFound
from placenames import sign_tasks

OPEN = ("open", "assigned")
RESULTS = (("repaired", gettext_lazy("repaired")), ("nothing", gettext_lazy("nothing to repair")))


class SignDamage(TaskKind):
    key = sign_tasks.TASK_TYPE  # "sign_damage"
    label = gettext_lazy("Damaged place-name sign")
    accuracy_m = 10.0
    fields = (
        Field("result", gettext_lazy("Result"), "choice", RESULTS, required=True, sources=("state",)),
        Field("note", gettext_lazy("Note")),
    )
    photo_roles = (("before", gettext_lazy("Before"), False), ("after", gettext_lazy("After"), False))
    watched = (("placenames", "signreport"),)

    def tasks(self, user, prefix, only=None):
        from accounts.scoping import has_role
        from placenames.signs import EDIT_ROLES

        if not has_role(user, *EDIT_ROLES):
            return []
        if only is None:
            found = sign_tasks.open_tasks(user)
        else:
            found = []
            for record_id in only:
                if str(record_id).isdecimal() and len(str(record_id)) < 12:
                    try:
                        found.append(sign_tasks.get(user, int(record_id)))
                    except NotFound:  # not in the user's areas, or no such report
                        continue
        out = []
        for report in found:
            if prefix and not report.area_code12.startswith(prefix):
                continue
            closed = report.state not in OPEN
            out.append(Task(record_id=str(report.id), title=report.shown_name, subtitle=report.text[:200],
                            lon=report.lon, lat=report.lat, values={"result": None if not closed else report.state,
                                                                    "note": ""},
                            versions={"result": int(closed)}, open=not closed, obj=report,
                            area=_area(report.area_code12)))
        return out

    def apply(self, actor, task, changes, evidence):
        result = changes.get("result")
        if result is None:
            return
        note = changes.get("note") or evidence.remarks or ""
        if task.obj.assigned_to not in (None, actor.pk):
            sign_tasks.take(actor, task.obj.id)  # refuses with its own words: another crew took it
        sign_tasks.complete(actor, task.obj.id, repaired=result == "repaired", outcome=note)

    def changed_records(self, since):
        return sign_tasks.changed_since(since)  # from the reports' (and their signs') audit rows

    def record_url(self, record_id, task=None):
        return reverse("placenames:sign", args=[task.obj.sign_uuid]) if task is not None and task.obj else None

    def were_in(self, prefix, record_ids):
        return were_in_area("placenames", "signreport", prefix, set(record_ids))


def _area(code12: str):
    from boundaries.models import AdminArea

    return AdminArea.objects.filter(code12=code12).first()
