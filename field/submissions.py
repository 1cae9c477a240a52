"""Taking a crew's submission: once per client id (the same body again gets the answer it got; another body under
the same id is refused), held while its photos are missing, held whole on a conflict (a field the office changed
since the version the crew saw is never overwritten), written through the task kind's adapter otherwise.

Held whole: a submission is written all at once or not at all, so a record never carries half of a visit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.idempotency import current_key
from field.kinds import Evidence, kind_of, kinds
from field.models import Attachment, ReviewComment, ReviewState, Submission, SyncState, Upload
from field.uploads import check_sha, complete_set
from gis.errors import Conflict, DimingError, InputError, NotFound, PermissionDenied

METHODS = ("gnss_avg", "rtk", "typed")
MAX_PHOTOS = 20


class ClientIdReused(Conflict):
    code = "client_id_reused"


def content_hash(body: dict) -> str:
    """SHA-256 of the canonical JSON of ``body``: keys sorted, no whitespace, UTF-8."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def client_id_of(body) -> uuid.UUID:
    if not isinstance(body, dict):
        raise InputError(_("A submission is a JSON object."), code="invalid_body")
    try:
        return uuid.UUID(str(body.get("client_id", "")))
    except ValueError:
        raise InputError(_("client_id must be a UUID made on the device."), code="invalid_client_id",
                         where={"field": "client_id"}) from None


def submit(user, body: dict) -> tuple[int, dict]:
    """(HTTP status, answer) for ``body`` sent by ``user``.

    One transaction: the same id sent twice at once waits on the unique index until the first is taken, then gets
    its answer; nobody ever sees a submission half taken."""
    client_id = client_id_of(body)
    digest = content_hash(body)
    existing = Submission.objects.filter(user=user, client_id=client_id).first()
    if existing is not None:
        return replay(existing, digest)
    with transaction.atomic():
        try:
            with transaction.atomic():
                sub = Submission.objects.create(user=user, client_id=client_id, content_hash=digest, body=body,
                                                task_type=str(body.get("type", ""))[:40],
                                                record_id=str(body.get("record_id", ""))[:64],
                                                state=SyncState.PARTIAL)
        except IntegrityError:
            sub = None
        if sub is not None:
            status = 201
            try:
                with transaction.atomic():
                    _take(sub, body)
            except DimingError as error:
                status = _refuse(sub, error)
            sub.first_status = status
            sub.first_answer = answer(sub, comments=[])  # made in this transaction: nobody has commented yet
            sub.save()
            return status, sub.first_answer
    # The same id was taken by a request running alongside: its answer, once it committed.
    return replay(Submission.objects.get(user=user, client_id=client_id), digest)


def replay(sub: Submission, digest: str) -> tuple[int, dict]:
    if sub.content_hash != digest:
        raise ClientIdReused(_("This client id was used for another submission with different content."),
                             where={"client_id": str(sub.client_id)})
    if sub.state == SyncState.REJECTED:
        return sub.first_status, sub.first_answer or answer(sub)
    if sub.state == SyncState.PARTIAL:
        retry(sub)
        sub.refresh_from_db()
    return 200, answer(sub)


def _refuse(sub: Submission, error: DimingError) -> int:
    sub.state = SyncState.REJECTED
    sub.detail = str(error)
    status = error.http_status
    if status == 400:
        status = 422
    Submission.objects.filter(pk=sub.pk).update(state=sub.state, detail=sub.detail)
    sub.attachments.all().delete()
    return status


def _take(sub: Submission, body: dict) -> None:
    kind = kind_of(body.get("type"))
    task = kind.task(sub.user, str(body.get("record_id", "")))
    if body.get("task_id") not in (None, f"{kind.key}:{task.record_id}"):
        raise InputError(_("task_id does not match the type and record."), code="task_mismatch")
    sub.title = task.title[:200]
    sub.area = task.area
    sub.area_code12 = getattr(task.area, "code12", "") or ""
    changes = kind.clean(body.get("changes") or {})
    _base_versions(kind, changes, body.get("base_versions"))
    _position(kind, body.get("position"))
    sub.title = kind.title_of(task, changes)[:200]
    sub.area = kind.area_of(task, body.get("position"))
    sub.area_code12 = getattr(sub.area, "code12", "") or ""
    remarks = body.get("remarks") or ""
    if not isinstance(remarks, str) or len(remarks) > 2000:
        raise InputError(_("Remarks are text of at most 2000 characters."), code="invalid_remarks")
    attachments = _attachments(sub, kind, body)
    shas = {a.sha256 for a in attachments}
    uploads = {u.sha256: u for u in Upload.objects.filter(sha256__in=list(shas), complete=True)}
    if shas - set(uploads):
        sub.state = SyncState.PARTIAL
        sub.save()
        return
    _process(sub, kind, task, evidence=_evidence(sub, attachments, uploads))  # it saves the submission


def _base_versions(kind, changes: dict, base) -> None:
    if base is None:
        base = {}
    if not isinstance(base, dict):
        raise InputError(_("base_versions must be an object of field names and versions."),
                         code="invalid_base_versions")
    for name in changes:
        if kind.field(name).sources:
            value = base.get(name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(_("Each changed field needs the version it was based on (%(field)s).")
                                 % {"field": name}, code="base_version_required", where={"field": name})


def _position(kind, position) -> None:
    if position is None:
        return
    if not isinstance(position, dict):
        raise InputError(_("The position must be an object with lon, lat, accuracy_m and method."),
                         code="invalid_position")
    lon, lat, accuracy = position.get("lon"), position.get("lat"), position.get("accuracy_m")
    numbers = [v for v in (lon, lat) if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != 2 or not (73 <= lon <= 136 and 3 <= lat <= 54):
        raise InputError(_("The position is not a longitude and latitude in China."), code="invalid_position",
                         where={"field": "position"})
    if position.get("method") not in METHODS + (("map",) if kind.map_position else ()):
        raise InputError(_("The position's method must be gnss_avg, rtk or typed."), code="invalid_position_method",
                         where={"field": "position.method"})
    if accuracy is not None and (isinstance(accuracy, bool) or not isinstance(accuracy, int | float)
                                 or not 0 <= accuracy < 1e6):
        raise InputError(_("The position's accuracy must be metres."), code="invalid_accuracy")
    if kind.accuracy_m is not None and position["method"] == "gnss_avg":
        if accuracy is None or accuracy > kind.accuracy_m:
            raise InputError(_("The position is accurate to %(got)s m; this task needs %(need)s m or better.")
                             % {"got": accuracy, "need": kind.accuracy_m}, code="inaccurate_position",
                             where={"field": "position.accuracy_m"})


def _attachments(sub: Submission, kind, body: dict) -> list[Attachment]:
    photos, signatures = body.get("photos") or [], body.get("signatures") or []
    if not isinstance(photos, list) or not isinstance(signatures, list) or len(photos) + len(signatures) > MAX_PHOTOS:
        raise InputError(_("photos and signatures are lists of at most %(n)s items.") % {"n": MAX_PHOTOS},
                         code="invalid_photos")
    roles = {r for r, _label, _req in kind.photo_roles}
    made = []
    for item in photos:
        if not isinstance(item, dict) or item.get("role") not in roles:
            raise InputError(_("A photo needs its SHA-256 and one of the task's photo roles."), code="invalid_photo",
                             where={"field": "photos"})
        made.append(Attachment(submission=sub, sha256=check_sha(item.get("sha256")), kind=Attachment.Kind.PHOTO,
                               role=item["role"], taken_at=str(item.get("taken_at") or "")[:40],
                               lon=_number(item.get("lon")), lat=_number(item.get("lat")),
                               heading=_number(item.get("heading"))))
    given = {item["role"] for item in photos}
    for role, label, required in kind.photo_roles:
        if required and role not in given:
            raise InputError(_("The photo “%(label)s” is required.") % {"label": label}, code="photo_required",
                             where={"field": "photos", "role": role})
    sides = {r for r, _label in kind.signatures}
    for item in signatures:
        if not isinstance(item, dict) or item.get("role") not in sides or not isinstance(item.get("signer"), str):
            raise InputError(_("A signature needs its side, the signer's name and its SHA-256."),
                             code="invalid_signature", where={"field": "signatures"})
        made.append(Attachment(submission=sub, sha256=check_sha(item.get("sha256")),
                               kind=Attachment.Kind.SIGNATURE, role=item["role"], signer=item["signer"][:64]))
    return Attachment.objects.bulk_create(made)  # one statement; ordered as sent (ids ascending)


def _number(value):
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e7 else None


# -- processing ----------------------------------------------------------------------------------------------------
def _effective(sub: Submission) -> tuple[dict, dict]:
    """The changes still to write and the versions they are based on, after the resolutions made so far."""
    changes = dict(sub.body.get("changes") or {})
    base = dict(sub.body.get("base_versions") or {})
    for item in sub.conflicts:
        if item.get("resolved") == "theirs":
            changes.pop(item["field"], None)
        elif item.get("resolved") == "yours":
            base[item["field"]] = item["current_version"]
    return changes, base


def _process(sub: Submission, kind, task, evidence: Evidence | None = None) -> None:
    """Writes the submission, or finds its conflicts and writes nothing."""
    changes, base = _effective(sub)
    changes = kind.clean(changes)
    conflicts = []
    for name, value in changes.items():
        spec = kind.field(name)
        if not spec.sources:
            continue
        current = task.versions.get(name, 0)
        if current > base.get(name, 0) and task.values.get(name) != value:
            conflicts.append({"field": name, "label": str(spec.label), "yours": value, "theirs": task.values.get(name),
                              "base_version": base.get(name, 0), "current_version": current})
    if conflicts:
        done = [c for c in sub.conflicts if c.get("resolved")]
        sub.conflicts = done + conflicts
        sub.state = SyncState.CONFLICT
        sub.detail = _("Changed in the office meanwhile: %(fields)s.") % {
            "fields": ", ".join(c["label"] for c in conflicts)}
        sub.save()
        return
    evidence = evidence or _evidence(sub)
    token = current_key.set(f"field:{sub.client_id}")
    try:
        with transaction.atomic():
            kind.apply(sub.user, task, changes, evidence)
    finally:
        current_key.reset(token)
    sub.applied = sorted(changes)
    sub.state = SyncState.ACCEPTED
    sub.detail = ""
    sub.save()


def _evidence(sub: Submission, attachments: list | None = None, uploads: dict | None = None) -> Evidence:
    attachments = list(sub.attachments.all()) if attachments is None else attachments
    if uploads is None:
        uploads = {u.sha256: u for u in Upload.objects.filter(sha256__in=[a.sha256 for a in attachments],
                                                               complete=True)}
    return Evidence(position=sub.body.get("position"),
                    photos=[(uploads[a.sha256], a.role, a.taken_at) for a in attachments
                            if a.kind == Attachment.Kind.PHOTO],
                    signatures=[(uploads[a.sha256], a.role, a.signer) for a in attachments
                                if a.kind == Attachment.Kind.SIGNATURE],
                    remarks=sub.body.get("remarks") or "")


def retry(sub: Submission) -> None:
    """Processes a submission held for its photos once they are all here (an upload finished, or the crew asks)."""
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=sub.pk)
        if sub.state != SyncState.PARTIAL:
            return
        shas = {a.sha256 for a in sub.attachments.all()}
        if shas - complete_set(shas):
            return
        try:
            with transaction.atomic():
                kind = kind_of(sub.task_type)
                _process(sub, kind, kind.task(sub.user, sub.record_id))
        except DimingError as error:
            sub.state, sub.detail = SyncState.REJECTED, str(error)
            sub.save()


def upload_completed(sha: str) -> None:
    for sub in Submission.objects.waiting_for(sha).distinct():
        retry(sub)


def resolve(user, sub: Submission, choices, *, office: bool = False) -> Submission:
    """Settles the conflicts of ``sub``: for each field, the crew's value ("yours") or the office's ("theirs");
    then the submission is written (or meets a newer conflict)."""
    if not isinstance(choices, dict):
        raise InputError(_("choices must be an object of field names and yours or theirs."), code="invalid_choices")
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=sub.pk)
        if sub.state != SyncState.CONFLICT:
            raise Conflict(_("This submission has no conflict to resolve."), code="no_conflict")
        open_items = [c for c in sub.conflicts if not c.get("resolved")]
        for item in open_items:
            choice = choices.get(item["field"])
            if choice not in ("yours", "theirs"):
                raise InputError(_("Choose yours or theirs for %(label)s.") % {"label": item["label"]},
                                 code="choice_required", where={"field": item["field"]})
            item["resolved"], item["resolved_by"] = choice, user.get_username()
            item["resolved_at"] = timezone.now().isoformat()
            item["by_office"] = office
        kind = kind_of(sub.task_type)
        try:
            with transaction.atomic():
                _process(sub, kind, kind.task(sub.user, sub.record_id))
        except DimingError as error:
            sub.state, sub.detail = SyncState.REJECTED, str(error)
            sub.save()
    return sub


# -- answers -------------------------------------------------------------------------------------------------------
def missing(sub: Submission) -> list[str]:
    if sub.state != SyncState.PARTIAL:
        return []
    shas = [a.sha256 for a in sub.attachments.all()]
    have = complete_set(shas)
    return sorted({s for s in shas if s not in have})


def answer(sub: Submission, comments: list | None = None) -> dict:
    return {"client_id": str(sub.client_id), "task_id": f"{sub.task_type}:{sub.record_id}", "type": sub.task_type,
            "record_id": sub.record_id, "state": sub.state, "missing": missing(sub),
            "conflicts": [{k: c[k] for k in ("field", "label", "yours", "theirs", "base_version", "current_version")}
                          for c in sub.conflicts if not c.get("resolved")],
            "detail": sub.detail, "updated_at": sub.updated_at.isoformat() if sub.updated_at else None,
            "review": {"state": sub.review_state, "comments": comments_of(sub) if comments is None else comments}}


def comments_of(sub: Submission) -> list[dict]:
    return [{"at": c.at.isoformat(), "by": (c.author.get_full_name() or c.author.get_username()) if c.author else "",
             "text": c.text, "state": c.review_state} for c in sub.comments.select_related("author")]


def of_user(user, client_id) -> Submission:
    try:
        return Submission.objects.get(user=user, client_id=uuid.UUID(str(client_id)))
    except (Submission.DoesNotExist, ValueError):
        raise NotFound(_("No such submission."), code="unknown_submission") from None


def since(user, when: str | None):
    subs = Submission.objects.filter(user=user).prefetch_related("attachments")
    if when:
        try:
            moment = dt.datetime.fromisoformat(when)
        except ValueError:
            raise InputError(_("since must be an ISO date and time."), code="invalid_since") from None
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        subs = subs.filter(updated_at__gte=moment)
    return subs.order_by("updated_at", "id")[:1000]


# -- office review -------------------------------------------------------------------------------------------------
def review(user, sub: Submission, state: str, text: str, *, options: dict | None = None) -> ReviewComment | None:
    """The office's review of ``sub``: a state and a comment the crew reads; ``options``: the kind's own choices
    (a rural name approved as a registered place)."""
    if state not in ReviewState.values:
        raise InputError(_("Unknown review state."), code="invalid_review_state")
    text = (text or "").strip()
    if state in (ReviewState.HAS_ISSUES, ReviewState.REJECTED) and not text:
        raise InputError(_("Say what is wrong: the crew reads it at its next sync."), code="comment_required",
                         where={"field": "text"})
    if sub.user_id == user.pk:
        raise PermissionDenied(_("A submission is reviewed by someone other than who sent it."),
                               code="own_submission")
    if state == sub.review_state and not text:
        return None  # the form saved as it stood: no empty comment, the reviewer stays who reviewed
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=sub.pk)  # one review at a time writes what it writes
        kind = kinds().get(sub.task_type)  # a kind no longer offered is still reviewed
        token = current_key.set(f"field-review:{sub.client_id}")
        try:
            if kind is not None:
                kind.on_review(user, sub, state, options or {})
        finally:
            current_key.reset(token)
        comment = ReviewComment.objects.create(submission=sub, author=user, text=text[:2000], review_state=state)
        Submission.objects.filter(pk=sub.pk).update(review_state=state, reviewed_by=user, updated_at=timezone.now())
    return comment
