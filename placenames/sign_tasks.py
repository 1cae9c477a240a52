"""The named interface for a "sign damage" task type (标志损坏): what a field app needs to list the open reports
of damaged place-name signs in a crew's areas, take one, and close it with the repair done or not.

A task is a damage report (placenames.models.SignReport); closing it with ``repaired=True`` records the repair on the
sign (placenames.signs.act), which closes every other open report of that sign too. Callers get plain dataclasses,
never models. Every change of a report is in the audit log (who, when, before, after; the reporter's contact left
out), so a sync can ask what changed since a moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import scope
from audit.models import Action, Change
from audit.services import record
from core.params import within
from gis.errors import Conflict, NotFound
from placenames import signs
from placenames.models import Sign, SignReport, SignState
from placenames.registry_models import ReportState

TASK_TYPE = "sign_damage"


@dataclass(frozen=True)
class SignDamageTask:
    id: int
    sign_uuid: str
    sign_type: str
    shown_name: str
    place_uuid: str
    lon: float
    lat: float
    area_code12: str
    reported_at: dt.datetime
    text: str
    state: str  # open, assigned, done, dismissed
    assigned_to: int | None
    sign_version: int


def _task(report: SignReport) -> SignDamageTask:
    sign = report.sign
    return SignDamageTask(id=report.pk, sign_uuid=str(sign.pk), sign_type=sign.type, shown_name=sign.shown_name,
                          place_uuid=str(sign.place_id), lon=sign.geom.x, lat=sign.geom.y,
                          area_code12=sign.area.code12, reported_at=report.submitted_at, text=report.text,
                          state=report.state, assigned_to=report.assigned_to_id, sign_version=sign.version)


def _reports(user):
    signs.require_editor(user)
    return scope(SignReport.objects.select_related("sign", "sign__area"), user, "sign__area")


def open_tasks(user, *, since: dt.datetime | None = None) -> list[SignDamageTask]:
    """Open and taken reports in the user's areas (``since``: changed after, for a sync)."""
    rows = _reports(user).filter(state__in=(ReportState.OPEN, ReportState.ASSIGNED))
    if since is not None:
        rows = rows.filter(submitted_at__gt=since)
    return [_task(r) for r in rows.order_by("submitted_at", "id")[:1000]]


def get(user, task_id: int) -> SignDamageTask:
    report = _reports(user).filter(pk=task_id).first()
    if report is None:
        raise NotFound(_("No such task."), code="not_found")
    return _task(report)


@transaction.atomic
def take(user, task_id: int) -> SignDamageTask:
    report = _reports(user).select_for_update(of=("self",)).filter(pk=task_id).first()
    if report is None:
        raise NotFound(_("No such task."), code="not_found")
    if report.state not in (ReportState.OPEN, ReportState.ASSIGNED):
        raise Conflict(_("This task is closed."), code="task_closed")
    if report.assigned_to_id not in (None, user.pk):
        raise Conflict(_("Another crew took this task."), code="task_taken")
    before = signs.report_snapshot(report)
    report.state, report.assigned_to = ReportState.ASSIGNED, user
    report.save(update_fields=["state", "assigned_to"])
    if signs.report_snapshot(report) != before:
        record(report, Action.UPDATE, actor=user, before=before, after=signs.report_snapshot(report))
    return _task(report)


@transaction.atomic
def complete(user, task_id: int, *, repaired: bool, outcome: str = "") -> SignDamageTask:
    """Closes the task: repaired (the sign is installed again) or dismissed (nothing to repair)."""
    report = _reports(user).select_for_update(of=("self",)).filter(pk=task_id).first()
    if report is None:
        raise NotFound(_("No such task."), code="not_found")
    if report.state not in (ReportState.OPEN, ReportState.ASSIGNED):
        raise Conflict(_("This task is closed."), code="task_closed")
    if repaired and report.sign.state in (SignState.DAMAGED, SignState.UNDER_REPAIR):
        signs.act(user, report.sign_id, "repair", note=outcome)
        report.refresh_from_db()
    if report.state in (ReportState.OPEN, ReportState.ASSIGNED):
        before = signs.report_snapshot(report)
        report.state = ReportState.DONE if repaired else ReportState.DISMISSED
        report.closed_at, report.outcome = timezone.now(), within(outcome, 2000, _("The outcome"), "outcome")
        report.save(update_fields=["state", "closed_at", "outcome"])
        record(report, Action.UPDATE, actor=user, before=before, after=signs.report_snapshot(report),
               reason=report.outcome)
    return _task(report)


def changed_since(since: dt.datetime) -> set[str]:
    """The ids of the reports changed since ``since``, from the audit log: a report's own rows (made, taken,
    closed), and the open reports of a sign changed meanwhile (its name, place or state shows in the task)."""
    def changed(model) -> list[str]:
        return list(Change.objects.filter(object_type=ContentType.objects.get_for_model(model), at__gte=since)
                    .values_list("object_id", flat=True).distinct())

    ids = set(changed(SignReport))
    sign_ids = changed(Sign)
    if sign_ids:
        ids |= {str(pk) for pk in SignReport.objects.filter(
            sign_id__in=sign_ids, state__in=(ReportState.OPEN, ReportState.ASSIGNED)).values_list("pk", flat=True)}
    return ids
