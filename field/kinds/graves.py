"""Graves to check on site (核实), to accept (验收) and to re-check (复查), on the cemeteries' service interface
(cemeteries.services: visible_graves, update_grave, advance, recheck, is_officer_of, require_crew_or_officer).

The owner's name and phone reach a device only for the grave's assigned crew and the region's officers (the rule of
cemeteries.access). Photos are the stored uploads themselves, attached to the grave (never a second copy) before
the step that needs them: acceptance asks for a photo from the road.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from accounts.scoping import has_role
from audit.idempotency import current_key
from audit.models import Action
from audit.services import record as audit_record
from cemeteries import services
from core.params import iso_moment
from field.kinds import Field, Task, TaskKind, audit_versions, changed_since, were_in_area
from gis.crs import to_storage_xy

FORMS = (("earth", gettext_lazy("earth mound grave")), ("cement", gettext_lazy("cement grave")),
         ("chair", gettext_lazy("armchair grave")), ("stone", gettext_lazy("stone grave")),
         ("urn", gettext_lazy("urn niche")), ("other", gettext_lazy("other")))
GRADES = (("A", gettext_lazy("A: highly visible")), ("B", gettext_lazy("B: partly visible")),
          ("C", gettext_lazy("C: hardly visible")))
FORM_NAMES = dict(FORMS)
RECHECK_AHEAD = dt.timedelta(days=14)  # a re-check due within two weeks is in the package


class GraveKind(TaskKind):
    accuracy_m = 5.0
    states: tuple[str, ...] = ()
    watched = (("cemeteries", "grave"),)

    def _acting(self, user):
        """The graves ``user`` may take this kind's step on (cemeteries.access): a crew reads its whole region but
        is sent out only to the graves it is assigned to, since the domain refuses its step on any other."""
        return services.actionable_graves(user, crew_steps=Role.FIELD_CREW in self.roles)

    def _graves(self, user, prefix, only):
        # A submission or a change names its records (``only``): those the user reads, still answered when the user
        # may not act on them (the domain's refusal in words, the task removed from the package); a package holds
        # only what the user may act on.
        graves = services.visible_graves(user) if only is not None else self.open_filter(self._acting(user))
        # Not the areas' and townships' boundaries: a county's package would decode them once per grave.
        graves = (graves.select_related("area", "township")
                  .defer("area__geom", "area__geom_3857", "township__geom", "township__geom_3857", "outline",
                         "geom_4549", "geom_3857"))
        if prefix:
            graves = graves.filter(area__code12__startswith=prefix)
        if only is not None:
            graves = graves.filter(uuid__in=[u for u in only if _is_uuid(u)])
        return list(graves.order_by("area__code12", "id"))

    def open_filter(self, graves):
        return graves.filter(state__in=self.states)

    def is_open(self, grave) -> bool:
        return grave.state in self.states

    def values(self, grave) -> dict:
        return {"state": grave.state, "note": grave.note}

    def tasks(self, user, prefix, only=None):
        if not has_role(user, *self.roles):
            return []
        graves = self._graves(user, prefix, only)
        pks = [g.pk for g in graves]
        crewed = set(services.visible_graves(user).filter(crew=user, pk__in=pks).values_list("pk", flat=True))
        acting = set(pks) if only is None else set(self._acting(user).filter(pk__in=pks).values_list("pk", flat=True))
        tasks = []
        for grave in graves:
            sees_owner = grave.pk in crewed or services.is_officer_of(user, grave)
            tasks.append(Task(
                record_id=str(grave.uuid), title=self.title(grave), subtitle=grave.township.name if grave.township_id
                else grave.area.name, lon=grave.geom.x, lat=grave.geom.y, values=self.values(grave),
                due=self.due(grave), area=grave.area, open=self.is_open(grave) and grave.pk in acting, obj=grave,
                personal={"owner_name": grave.owner_name, "owner_phone": grave.owner_phone} if sees_owner else {}))
        versions = audit_versions("cemeteries", "grave", {t.record_id: [t.obj.pk] for t in tasks}, self)
        for task in tasks:
            task.versions = versions[task.record_id]
        return tasks

    roles = (Role.FIELD_CREW, Role.OFFICER)

    def count(self, user, prefix):
        if not has_role(user, *self.roles):
            return 0
        graves = self.open_filter(self._acting(user))
        if prefix:
            graves = graves.filter(area__code12__startswith=prefix)
        return graves.count()

    def title(self, grave) -> str:
        return f"{FORM_NAMES.get(grave.form, grave.form)} · {grave.area.name} #{grave.pk}"

    def due(self, grave):
        return grave.notice_deadline

    def changed_records(self, since):
        return set(changed_since("cemeteries", "grave", since, key="uuid"))

    def record_url(self, record_id, task=None):
        return reverse("cemeteries:grave", args=[record_id]) if _is_uuid(record_id) else None

    def were_in(self, prefix, record_ids):
        return were_in_area("cemeteries", "grave", prefix, set(record_ids), key="uuid")

    def save_visit(self, actor, grave, facts: dict, evidence, reason: str):
        """The facts the crew corrected (if any), then the submission's photos: the grave as saved and its photos."""
        if facts:
            grave = services.update_grave(grave, actor, facts, version=None, reason=evidence.remarks or reason)
        return grave, self.attach_photos(actor, grave, evidence)

    @staticmethod
    def attach_photos(actor, grave, evidence) -> list:
        """The submission's photos as the grave's photos: the stored upload itself (content-checked, named by
        its hash), with where and when it was taken. cemeteries.services.add_photo would store the bytes again."""
        services.require_crew_or_officer(actor, grave)
        photos = []
        for upload, role, taken_at in evidence.photos:
            where = None
            if evidence.position is not None:
                x, y = to_storage_xy(evidence.position["lon"], evidence.position["lat"], 4326)
                where = Point(float(x), float(y), srid=4490)
            photo = grave.photos.create(role=role, image=upload.file.name, sha256=upload.sha256,
                                        taken_at=iso_moment(taken_at), geom=where, uploaded_by=actor)
            audit_record(photo, Action.CREATE, actor=actor)
            photos.append(photo)
        return photos


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def _note(changes: dict) -> dict:
    return {"note": changes["note"] or ""} if "note" in changes else {}


class GraveCheck(GraveKind):
    """核实: a crew confirms on site a grave found in the survey (or one that rebounded) and corrects its facts."""

    key = "grave_check"
    label = gettext_lazy("Grave to check on site")
    states = ("identified", "rebounded")
    fields = (
        Field("confirmed", gettext_lazy("Confirmed on site"), "boolean", required=True, sources=("state",),
              help=gettext_lazy("The grave is there as registered; its facts below are right.")),
        Field("form", gettext_lazy("Form"), "choice", FORMS, sources=("form",)),
        Field("tomb_count", gettext_lazy("Number of tombs"), "number", sources=("tomb_count",)),
        Field("grade", gettext_lazy("Exposure grade"), "choice", GRADES, sources=("grade",)),
        Field("note", gettext_lazy("Note"), sources=("note",)),
    )
    photo_roles = (("before", gettext_lazy("The grave"), True), ("road", gettext_lazy("Seen from the road"), False))

    def values(self, grave):
        return {"confirmed": grave.state not in self.states, "form": grave.form, "tomb_count": grave.tomb_count,
                "grade": grave.grade, "note": grave.note}

    def apply(self, actor, task, changes, evidence):
        facts = {k: v for k, v in changes.items() if k in ("form", "tomb_count", "grade", "note")}
        if "tomb_count" in facts:
            facts["tomb_count"] = int(facts["tomb_count"])
        grave, photos = self.save_visit(actor, task.obj, facts, evidence, _("field check"))
        if changes.get("confirmed") and grave.state in self.states:
            services.advance(grave, actor, "checked", version=None, remarks=evidence.remarks, photos=photos,
                             client_ref=current_key.get())


class GraveAcceptance(GraveKind):
    """验收: the township's officer accepts a remediated grave on site (with a photo from the road) or sends it
    back to remediation."""

    key = "grave_acceptance"
    label = gettext_lazy("Remediated grave to accept")
    states = ("remediated",)
    roles = (Role.OFFICER,)
    fields = (
        Field("result", gettext_lazy("Result"), "choice",
              (("accepted", gettext_lazy("accepted")), ("in_remediation", gettext_lazy("refused, back to remediation"))),
              required=True, sources=("state",)),
        Field("note", gettext_lazy("Note"), sources=("note",)),
    )
    photo_roles = (("road", gettext_lazy("Seen from the road"), True), ("after", gettext_lazy("After"), False))

    def values(self, grave):
        return {"result": grave.state if grave.state != "remediated" else None, "note": grave.note}

    def apply(self, actor, task, changes, evidence):
        grave, photos = self.save_visit(actor, task.obj, _note(changes), evidence, _("field acceptance"))
        if changes.get("result"):
            services.advance(grave, actor, changes["result"], version=None, remarks=evidence.remarks, photos=photos,
                             client_ref=current_key.get())


class GraveRecheck(GraveKind):
    """复查: an accepted grave whose re-check falls due is visited again: it holds, or it rebounded (反弹)."""

    key = "grave_recheck"
    label = gettext_lazy("Accepted grave to re-check")
    states = ("accepted",)
    fields = (
        Field("holds", gettext_lazy("Result"), "choice",
              (("holds", gettext_lazy("still remediated")), ("rebounded", gettext_lazy("rebounded"))),
              required=True, sources=("rechecked_on", "state")),
        Field("note", gettext_lazy("Note"), sources=("note",)),
    )
    photo_roles = (("road", gettext_lazy("Seen from the road"), True), ("after", gettext_lazy("After"), False))

    def open_filter(self, graves):
        return graves.filter(state="accepted", recheck_due_on__lte=timezone.localdate() + RECHECK_AHEAD)

    def is_open(self, grave):
        return grave.state == "accepted" and grave.recheck_due_on is not None and \
            grave.recheck_due_on <= timezone.localdate() + RECHECK_AHEAD

    def values(self, grave):
        return {"holds": None, "note": grave.note}

    def due(self, grave):
        return grave.recheck_due_on

    def apply(self, actor, task, changes, evidence):
        grave, photos = self.save_visit(actor, task.obj, _note(changes), evidence, _("field re-check"))
        if changes.get("holds"):
            services.recheck(grave, actor, version=None, holds=changes["holds"] == "holds", remarks=evidence.remarks,
                             photos=photos, client_ref=current_key.get())


GRAVE_KINDS = (GraveCheck(), GraveAcceptance(), GraveRecheck())
