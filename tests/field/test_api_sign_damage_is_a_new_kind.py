"""A new kind of task is a form and an adapter: damaged place-name signs (reported by anyone on the sign's QR page)
reach the crew's package through placenames.sign_tasks and close through it, repaired or not."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from audit.models import Change
from placenames import signs
from placenames.models import Sign
from tests.base import lucheng_officer, make_user
from tests.field.builders import API, post_json
from tests.placenames.builders import ensure_seed_data, place

pytestmark = pytest.mark.django_db


def test_a_reported_sign_is_a_task_the_crew_closes_as_repaired(wenzhou_counties, client):
    ensure_seed_data()
    cache.clear()
    officer = lucheng_officer()
    sign = signs.register(officer, place=place("解放路"), lon=120.656, lat=28.014)
    signs.act(officer, sign.pk, "install")
    assert Client().post(f"/placenames/s/{sign.qr_token}/", {"text": "字迹褪色", "contact": ""}).status_code == 302
    crew = make_user("sign_crew", "field_crew", "330302")
    client.force_login(crew)
    assert "sign_damage" in {t["key"] for t in client.get(f"{API}/task-types").json()}
    [task] = [t for t in client.get(f"{API}/packages/330302").json()["tasks"] if t["type"] == "sign_damage"]
    assert (task["title"], task["subtitle"], task["versions"]) == ("解放路", "字迹褪色", {"result": 0})
    lon, lat = task["geometry"]["coordinates"]
    body = {"client_id": str(uuid.uuid4()), "task_id": task["task_id"], "type": "sign_damage",
            "record_id": task["record_id"], "changes": {"result": "repaired", "note": "已清洗"},
            "base_versions": {"result": 0}, "position": {"lon": lon, "lat": lat, "accuracy_m": 4, "method": "gnss_avg"},
            "photos": [], "signatures": [], "remarks": ""}
    status, answer = post_json(client, "/submissions", body)
    assert (status, answer["state"]) == (201, "accepted"), answer
    assert Sign.objects.get(pk=sign.pk).state == "installed"
    assert [t for t in client.get(f"{API}/packages/330302").json()["tasks"] if t["type"] == "sign_damage"] == []
    assert post_json(client, "/submissions", body)[0] == 200  # the same again: its answer, nothing more
    client.force_login(make_user("ruian_sign_crew", "field_crew", "330381"))
    status, answer = post_json(client, "/submissions", {**body, "client_id": str(uuid.uuid4())})
    assert (status, answer["state"]) == (404, "rejected")


def test_a_packages_changes_name_exactly_the_reports_changed_since_its_cursor_from_their_audit_rows(
        wenzhou_counties, client):
    ensure_seed_data()
    cache.clear()
    officer = lucheng_officer()
    crew = make_user("sign_crew", "field_crew", "330302")
    standing = []
    for name, lon in (("解放路", 120.656), ("人民路", 120.658), ("五马街", 120.660)):
        sign = signs.register(officer, place=place(name), lon=lon, lat=28.014)
        signs.act(officer, sign.pk, "install")
        standing.append(sign)
    quiet, repaired = (signs.report_damage(s.qr_token, text="字迹褪色", contact="13800000000") for s in standing[:2])
    client.force_login(crew)
    package = client.get(f"{API}/packages/330302").json()
    assert {t["record_id"] for t in package["tasks"] if t["type"] == "sign_damage"} == {str(quiet.pk), str(repaired.pk)}
    Change.objects.filter(object_type__model__in=("signreport", "sign")).update(at=timezone.now() - dt.timedelta(hours=1))
    since = client.get(f"{API}/packages/330302").json()["cursor"]

    signs.act(officer, repaired.sign_id, "repair", note="已更换")  # the office repairs: its report is done
    fresh = signs.report_damage(standing[2].qr_token, text="被撞倒", contact="13900000000")
    changes = client.get(f"{API}/packages/330302/changes", {"since": since}).json()
    assert [t["record_id"] for t in changes["tasks"] if t["type"] == "sign_damage"] == [str(fresh.pk)]
    assert changes["removed"] == [f"sign_damage:{repaired.pk}"]  # the quiet report is not sent again

    rows = Change.objects.filter(object_type__model="signreport", object_id=str(repaired.pk)).order_by("at", "id")
    made, closed = rows
    assert (made.action, made.actor, made.before, made.area_code12[:6]) == ("create", None, None, "330302")
    assert (closed.actor, closed.before["state"], closed.after["state"], closed.reason) == (
        officer, "open", "done", "已更换")
    assert all("contact" not in (row.before or {}) and "contact" not in row.after for row in rows)
