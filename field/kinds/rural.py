"""Rural names collected in the field (乡村地名采集) into the 乡村著名 campaign of a county, on the registry's field
interface (placenames.rural_tasks).

The task is the campaign in a county of the crew's region; each record is a NEW name (its name, GB/T 18521
category, position from the satellites or a tap on the map, photos, 含义, 来历, 资料来源). Taking it checks it and
writes nothing to the register: the office's review writes it. Approving it registers the place and adds it to the
campaign (placenames.rural_tasks.accept); refusing it sends the reason to the crew, who may correct the record and
send it again as a new one. A kind with no campaign under way in the crew's county says so and offers no task.
"""

from __future__ import annotations

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from field.kinds import Field, Task, TaskKind
from gis.errors import Conflict, InputError
from placenames import rural_tasks

PLACE_ROLE = "place"  # a photo of the place itself, which its public page may show


class RuralName(TaskKind):
    key = rural_tasks.TASK_TYPE  # "rural_name"
    label = gettext_lazy("Rural name to collect")
    accuracy_m = 20.0
    fix_count = 3
    creates = True  # every record is a new name, written by the office's review
    map_position = True  # a tap on the map is a position too
    photo_roles = ((PLACE_ROLE, gettext_lazy("The place"), False), ("evidence", gettext_lazy("A sign or a document"), False))
    watched = (("placenames", "campaignname"),)

    @cached_property
    def fields(self):
        choices = tuple(rural_tasks.categories())
        return (
            Field("name", gettext_lazy("Name"), "line", required=True),
            Field("category", gettext_lazy("Category"), "choice", choices, required=True,
                  aliases=tuple(rural_tasks.category_aliases(choices))),
            Field("meaning", gettext_lazy("Meaning (as told locally)")),
            Field("origin", gettext_lazy("Origin (as told locally)")),
            Field("source", gettext_lazy("Source of the information"), "line",
                  help=gettext_lazy("Who told it, or the document it comes from.")),
        )

    def as_json(self):
        return {**super().as_json(), "creates": True, "map_position": True}

    def unavailable(self, user) -> str | None:
        if rural_tasks.campaign_counties(user):
            return None
        return _("No rural-names campaign is under way in your county: rural names cannot be collected now.")

    def tasks(self, user, prefix, only=None):
        out = []
        for c in rural_tasks.campaign_counties(user, prefix, closed=only is not None):
            if only is not None and c.record_id not in only:
                continue
            out.append(Task(record_id=c.record_id, title=f"{c.campaign} · {c.county.name}",
                            subtitle=_("Collect a new rural name: %(collected)s of %(target)s collected")
                            % {"collected": c.collected, "target": c.target},
                            values={f.name: None for f in self.fields}, area=c.county, open=c.open,
                            obj=c if c.open else None))
        return out

    def changed_records(self, since):
        return None  # a handful of campaigns: sent whole each time (their counts change with every acceptance)

    def title_of(self, task, changes):
        name = changes.get("name")
        return f"{name.strip()} · {task.title}" if isinstance(name, str) and name.strip() else task.title

    def area_of(self, task, position):
        """The area the name lies in (its review goes to that region's officers), else the campaign's county."""
        if isinstance(position, dict) and _number(position.get("lon")) and _number(position.get("lat")):
            found = rural_tasks.area_at(position["lon"], position["lat"])
            if found is not None and found.code12.startswith(task.area.prefix):
                return found
        return task.area

    def apply(self, actor, task, changes, evidence):
        position = evidence.position or {}
        rural_tasks.check(actor, task.obj, name=changes.get("name"), category=changes.get("category"),
                          lon=position.get("lon"), lat=position.get("lat"))

    # -- the office's review ---------------------------------------------------------------------------------------
    def on_review(self, user, sub, state: str, options: dict) -> None:
        """Approving writes the name into the register and the campaign (once), or, when the reviewer says it is a
        registered place of the same name near it (``options["place"]``), adds that place to the campaign; a name
        written stays approved."""
        from field.models import ReviewState, SyncState

        if sub.review_state == ReviewState.APPROVED:
            if state != ReviewState.APPROVED:
                raise Conflict(_("This name is in the register already: correct it there."), code="already_written")
            return
        if state != ReviewState.APPROVED:
            return
        if sub.state != SyncState.ACCEPTED:
            raise Conflict(_("Only a record the server took can be approved."), code="not_taken")
        changes = sub.body.get("changes") or {}
        position = sub.body.get("position") or {}
        if not isinstance(changes, dict) or not isinstance(position, dict):
            raise InputError(_("This record cannot be read."), code="invalid_body")
        if options.get("place"):
            near = self.review_context(user, sub)["duplicates"]
            if options["place"] not in {d["uuid"] for d in near}:
                raise InputError(_("Choose one of the registered places of the same name near it."),
                                 code="invalid_choice", where={"field": "place"})
            accepted = rural_tasks.accept_registered(user, sub.record_id, options["place"])
        else:
            accepted = rural_tasks.accept(
                user, sub.record_id, name=changes.get("name"), category=changes.get("category"),
                lon=position.get("lon"), lat=position.get("lat"), meaning=changes.get("meaning") or "",
                origin=changes.get("origin") or "", source=changes.get("source") or "",
                collector=sub.user.get_full_name() or sub.user.get_username())
        rural_tasks.attach_photos(user, accepted.place_uuid, _place_photos(sub))

    def review_context(self, user, sub) -> dict:
        """For the review page: registered places of the same name near it, and the place its approval made."""
        from django.urls import reverse

        changes = sub.body.get("changes") if isinstance(sub.body.get("changes"), dict) else {}
        position = sub.body.get("position") if isinstance(sub.body.get("position"), dict) else {}
        made = rural_tasks.accepted_place(f"field-review:{sub.client_id}")
        joined = rural_tasks.joined_place(f"field-review:{sub.client_id}")  # made, or a registered namesake
        duplicates = []
        if isinstance(changes.get("name"), str) and _number(position.get("lon")) and _number(position.get("lat")):
            duplicates = [d for d in rural_tasks.probable_duplicates(changes["name"], position["lon"], position["lat"])
                          if d["uuid"] not in (made, joined)]
        return {"duplicates": duplicates, "near_m": rural_tasks.NEAR_M, "joined": joined,
                "place_url": reverse("placenames:place", args=[made or joined]) if made or joined else None}


def _place_photos(sub) -> list[tuple[str, str]]:
    """(stored file name, sha256) of the submission's photos of the place: they go onto the place's public page. A
    photo of a sign or a document (the evidence role) stays with the submission: it may show what is not public."""
    from field.models import Attachment, Upload

    digests = list(sub.attachments.filter(kind=Attachment.Kind.PHOTO, role=PLACE_ROLE)
                   .values_list("sha256", flat=True))
    files = dict(Upload.objects.filter(sha256__in=digests, complete=True).values_list("sha256", "file"))
    return [(files[d], d) for d in digests if files.get(d)]


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
