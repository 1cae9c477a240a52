"""Work packages: per region of the user, the tasks of every kind with their records' values and per-field versions,
the region's offline basemap (the PMTiles package tiles already builds), and the changes since a cursor.

The cursor is the time the package was read. What changed since comes from the audit log, which every domain
service writes in the same transaction as its change; a margin covers transactions still open when the package
was read (their rows carry their start time). Tasks carry whole states, so sending one again is harmless.
"""

from __future__ import annotations

import base64
import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AreaAssignment
from accounts.scoping import ALL, area_prefixes
from boundaries.models import AdminArea
from field.kinds import Task, kinds
from field.models import ReviewComment
from gis.errors import Gone, InputError, NotFound
from tiles.pmtiles_export import archive_path

MARGIN = dt.timedelta(minutes=10)
OLDEST = dt.timedelta(days=60)


def regions(user) -> list[AdminArea]:
    prefixes = area_prefixes(user)
    if prefixes is ALL:
        return list(AdminArea.objects.filter(level="county").order_by("code12"))
    assigned = AreaAssignment.objects.filter(user=user).values("area_id")
    return list(AdminArea.objects.filter(pk__in=assigned).order_by("code12"))


def region(user, code: str) -> AdminArea:
    found = next((a for a in regions(user) if a.code == code), None)
    if found is None:
        raise NotFound(_("No such work package, or it is not for your region."), code="unknown_package",
                       where={"package": str(code)[:20]})
    return found


def basemap(area: AdminArea) -> dict | None:
    path = archive_path(area.code)
    if not path.is_file():
        return None
    stat = path.stat()
    return {"url": reverse("tiles:pmtiles", args=[area.code]), "bytes": stat.st_size,
            "etag": f'"{int(stat.st_mtime_ns):x}-{stat.st_size:x}"'}


def listing(user) -> list[dict]:
    out = []
    for area in regions(user):
        count = sum(kind.count(user, area.prefix) for kind in kinds().values())
        out.append({"id": area.code, "label": area.name,
                    "task_count": count, "basemap": basemap(area)})
    return out


def cursor_at(moment: dt.datetime) -> str:
    return base64.urlsafe_b64encode(f"v1:{int(moment.timestamp() * 1_000_000)}".encode()).decode().rstrip("=")


def moment_of(cursor: str) -> dt.datetime:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, micros = text.split(":")
        assert version == "v1"
        moment = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
    except (ValueError, AssertionError, UnicodeDecodeError, OverflowError, OSError):
        raise InputError(_("This cursor is not one the server gave."), code="invalid_cursor") from None
    if moment > timezone.now() + dt.timedelta(minutes=1):
        raise InputError(_("This cursor is not one the server gave."), code="invalid_cursor")
    if timezone.now() - moment > OLDEST:
        raise Gone(_("The package is too old to update: download it again."), code="cursor_too_old")
    return moment


def task_json(kind, task: Task, comments: dict) -> dict:
    return {"task_id": f"{kind.key}:{task.record_id}", "type": kind.key, "record_id": task.record_id,
            "title": task.title, "subtitle": task.subtitle,
            "geometry": {"type": "Point", "coordinates": [round(task.lon, 7), round(task.lat, 7)]}
            if task.lon is not None else None,
            "values": task.values, "versions": task.versions, "due": task.due.isoformat() if task.due else None,
            "qr": task.qr, "personal": task.personal or None,
            "comments": comments.get((kind.key, task.record_id), [])}


def _comments(kind_keys, since: dt.datetime | None = None) -> dict:
    rows = ReviewComment.objects.filter(submission__task_type__in=kind_keys).select_related("author", "submission")
    if since is not None:
        rows = rows.filter(at__gte=since)
    out: dict = {}
    for c in rows.order_by("at", "id"):
        key = (c.submission.task_type, c.submission.record_id)
        out.setdefault(key, []).append({"at": c.at.isoformat(), "text": c.text, "state": c.review_state,
                                        "by": (c.author.get_full_name() or c.author.get_username()) if c.author else ""})
    return out


def package(user, code: str) -> dict:
    area = region(user, code)
    now = timezone.now()
    found = kinds()
    comments = _comments(list(found))
    tasks = []
    for kind in found.values():
        tasks += [task_json(kind, t, comments) for t in kind.tasks(user, area.prefix) if t.open]
    return {"id": area.code, "label": area.name, "cursor": cursor_at(now), "generated_at": now.isoformat(),
            "basemap": basemap(area), "tasks": tasks}


def changes(user, code: str, cursor: str) -> dict:
    area = region(user, code)
    since = moment_of(cursor) - MARGIN
    now = timezone.now()
    found = kinds()
    new_comments = _comments(list(found), since)
    comments = _comments(list(found)) if new_comments else {}
    tasks, removed = [], []
    for kind in found.values():
        ids = kind.changed_records(since)
        if ids is not None:
            ids = set(ids) | {record for (key, record) in new_comments if key == kind.key}
            if not ids:
                continue
        # Only records of the region: a record elsewhere is neither sent nor named, unless it lay in the region
        # once (it moved out, or the user's scope lost it): then its task is removed from the package.
        here = set()
        for task in kind.tasks(user, area.prefix, only=ids):
            here.add(task.record_id)
            if task.open:
                tasks.append(task_json(kind, task, comments))
            else:
                removed.append(f"{kind.key}:{task.record_id}")
        if ids is not None and ids - here:
            removed += [f"{kind.key}:{record_id}" for record_id in sorted(kind.were_in(area.prefix, ids - here))]
    return {"cursor": cursor_at(now), "tasks": tasks, "removed": removed}
