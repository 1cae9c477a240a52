"""The office's review of what crews sent (外业审核): the submissions of the officer's regions with their state,
content, photos and conflicts; a comment and a review state that reach the crew at its next sync; a conflict
resolved for the office's value or the crew's."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import Role
from accounts.scoping import area_prefixes, has_role
from core import params as typed
from core import uploads as content
from field import submissions
from field.kinds import kinds
from field.models import Attachment, ReviewState, Submission, SyncState, Upload
from gis.errors import DimingError, PermissionDenied

REVIEW_ROLES = (Role.OFFICER, Role.REVIEWER)


def _require_reviewer(user) -> None:
    if not has_role(user, *REVIEW_ROLES):
        raise PermissionDenied(_("Only the region's officers review field submissions."), code="role_required")


def visible(user):
    return Submission.objects.in_prefixes(area_prefixes(user)).exclude(area_code12="")


def _submission(user, pk) -> Submission:
    _require_reviewer(user)
    return get_object_or_404(visible(user).select_related("user", "area", "reviewed_by"), pk=pk)


@login_required
@require_safe
def index(request):
    _require_reviewer(request.user)
    subs = visible(request.user).select_related("user", "area")
    review, state = request.GET.get("review", ""), request.GET.get("state", "")
    if review in ReviewState.values:
        subs = subs.filter(review_state=review)
    if state in SyncState.values:
        subs = subs.filter(state=state)
    labels = {key: kind.label for key, kind in kinds().items()}
    page = Paginator(subs.order_by("-received_at", "-id"), 50).get_page(request.GET.get("page"))
    for sub in page:
        sub.kind_label = labels.get(sub.task_type, sub.task_type)
    return render(request, "field/office/index.html", {
        "title": _("Field submissions"), "page": page, "review": review, "state": state,
        "query": typed.query(review=review, state=state),
        "review_states": ReviewState.choices,
        "sync_states": SyncState.choices})


def _display(kind, name, value):
    """A value as the crew sent it, in words: a choice by its label; a list or an object (which a refused
    submission may hold) as the JSON text it came in."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    spec = kind.field(name) if kind else None
    if spec is not None and spec.choices:
        return dict(spec.choices).get(spec.chosen(value), value)
    if value is None or value == "":
        return "—"
    return value


def _task_or_none(kind, user, record_id):
    """The record as a task now (its registered position), or None when it is no longer one or out of reach."""
    if kind is None:
        return None
    try:
        return kind.task(user, record_id)
    except DimingError:
        return None


def _in_form_order(kind, changes: dict) -> list:
    """The changes in the order of the kind's form (as stored, a body's keys come back in the database's order)."""
    order = {f.name: i for i, f in enumerate(kind.fields)} if kind else {}
    return sorted(changes.items(), key=lambda item: order.get(item[0], len(order)))


def _lonlat(position: dict) -> bool:
    return all(isinstance(position.get(k), int | float) and not isinstance(position.get(k), bool) for k in ("lon", "lat"))


@login_required
@require_safe
def detail(request, pk):
    return _detail_page(request, _submission(request.user, pk))


def _detail_page(request, sub, *, refused: str = ""):
    """The submission's page; a refused form ("review", "resolve") comes back on it with what was chosen and typed
    (status 400)."""
    kind = kinds().get(sub.task_type)
    changes = sub.body.get("changes") if isinstance(sub.body.get("changes"), dict) else {}  # a refused body may be odd
    # A kind whose records are new ones writes them on approval only.
    written = kind is None or not kind.creates or sub.review_state == ReviewState.APPROVED
    rows = [{"label": kind.field(name).label if kind and kind.field(name) else name,
             "value": _display(kind, name, value), "written": written and name in sub.applied}
            for name, value in _in_form_order(kind, changes)]
    conflicts = [{**c, "yours_shown": _display(kind, c["field"], c["yours"]),
                  "theirs_shown": _display(kind, c["field"], c["theirs"]),
                  "chosen": request.POST.get(f"choice_{c['field']}", "") if refused == "resolve" else ""}
                 for c in sub.conflicts]
    attachments = list(sub.attachments.all())
    complete = {u.sha256 for u in Upload.objects.filter(sha256__in=[a.sha256 for a in attachments], complete=True)}
    roles = dict((r, label) for r, label, _req in kind.photo_roles) if kind else {}
    sides = dict(kind.signatures) if kind else {}
    for a in attachments:
        a.arrived = a.sha256 in complete
        a.role_label = (roles if a.kind == Attachment.Kind.PHOTO else sides).get(a.role, a.role)
    position = sub.body.get("position") if isinstance(sub.body.get("position"), dict) else None
    task = _task_or_none(kind, request.user, sub.record_id)
    extra = kind.review_context(request.user, sub) if kind else {}
    record_url = extra.get("place_url") or (kind.record_url(sub.record_id, task) if kind else None)
    map_data = {"record": [task.lon, task.lat] if task is not None and task.lon is not None else None,
                "crew": [position["lon"], position["lat"]] if position and _lonlat(position) else None}
    return render(request, "field/office/detail.html", {
        "record_url": record_url, "map_data": map_data if map_data["record"] or map_data["crew"] else None,
        "sub": sub, "kind_label": kind.label if kind else sub.task_type, "rows": rows, "conflicts": conflicts,
        "open_conflicts": [c for c in conflicts if not c.get("resolved")], "attachments": attachments,
        "position": position, "remarks": str(sub.body.get("remarks") or "")[:2000], "comments": sub.comments.select_related("author"),
        "review_states": ReviewState.choices, "may_review": sub.user_id != request.user.pk, "extra": extra,
        "creates": bool(kind and kind.creates),
        "review": typed.form_values(request, refused == "review", review_state=sub.review_state, place="", text="")},
        status=400 if refused else 200)


@login_required
@require_POST
def review(request, pk):
    sub = _submission(request.user, pk)
    try:
        if submissions.review(request.user, sub, request.POST.get("review_state", ""), request.POST.get("text", ""),
                              options={"place": request.POST.get("place", "")}):
            messages.success(request, _("Your review is saved; the crew sees it at its next sync."))
        else:
            messages.info(request, _("Nothing changed: the review stays as it was."))
    except DimingError as error:
        messages.error(request, str(error))
        return _detail_page(request, sub, refused="review")  # the comment typed stays
    return redirect("field:office-detail", pk=sub.pk)


@login_required
@require_POST
def resolve(request, pk):
    sub = _submission(request.user, pk)
    choices = {c["field"]: request.POST.get(f"choice_{c['field']}") for c in sub.conflicts if not c.get("resolved")}
    try:
        sub = submissions.resolve(request.user, sub, choices, office=True)
        if sub.state == SyncState.ACCEPTED:
            messages.success(request, _("The conflict is resolved and the record written."))
        else:
            messages.warning(request, sub.detail)
    except DimingError as error:
        messages.error(request, str(error))
        return _detail_page(request, sub, refused="resolve")  # the choices made stay
    return redirect("field:office-detail", pk=sub.pk)


@login_required
@require_safe
def photo(request, pk, sha):
    """A photo or signature of a submission the reader may review (or sent): by the rights on the submission."""
    sub = Submission.objects.filter(pk=pk).first()
    if sub is None or not (sub.user_id == request.user.pk
                           or (has_role(request.user, *REVIEW_ROLES) and visible(request.user).filter(pk=pk).exists())):
        raise Http404
    if not sub.attachments.filter(sha256=sha).exists():
        raise Http404
    upload = Upload.objects.filter(sha256=sha, complete=True).first()
    if upload is None:
        raise Http404
    response = content.attachment(upload.file, download_name=f"{sha[:12]}{upload.file.name[-4:]}")
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    return response
