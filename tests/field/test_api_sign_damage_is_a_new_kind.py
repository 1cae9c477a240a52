"""A new kind of task is a form and an adapter: damaged place-name signs (reported by anyone on the sign's QR page)
reach the crew's package through placenames.sign_tasks and close through it, repaired or not."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.test import Client

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
