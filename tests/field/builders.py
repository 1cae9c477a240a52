"""Builders for the field API tests: a crew of 鹿城, the 鹿城-瓯海 line with markers under an open joint inspection,
plates reported damaged, photos by content, and the calls the app makes."""

from __future__ import annotations

import hashlib
import json
import uuid

from django.conf import settings

from accounts.roles import Role
from borders import inspections
from tests.base import login, make_user
from tests.boundaries.lines_base import LUCHENG, OUHAI, line_with_markers
from tests.doorplates.builders import make_plate, make_road

API = "/field/api/v1"


def crew_and_officers():
    crew = make_user("lucheng_crew", Role.FIELD_CREW, LUCHENG)
    officer = make_user("lucheng_officer", Role.OFFICER, LUCHENG)
    ouhai = make_user("ouhai_officer", Role.OFFICER, OUHAI)
    taishun = make_user("taishun_crew", Role.FIELD_CREW, "330329")
    return crew, officer, ouhai, taishun


def rural_campaign_task() -> str:
    """The synthetic Wenzhou, its categories, the crew and officers, and this year's 乡村著名 campaign with a target
    in 鹿城区: the id of 鹿城区's rural-name task in the crew's package."""
    from django.utils import timezone

    from placenames.models import Campaign
    from tests.base import build_wenzhou
    from tests.registry.builders import ensure_categories

    build_wenzhou(villages=False)
    ensure_categories()
    crew_and_officers()
    campaign = Campaign.objects.create(name="乡村著名行动", year=timezone.localdate().year, target=50,
                                       county_targets={"330302": 30})
    return f"rural_name:{campaign.pk}-330302"


def inspection(officer):
    line = line_with_markers(officer)
    campaign = inspections.open_campaign(officer, line, year=2026)
    return line, campaign


def damaged_plates(n: int = 2):
    road = make_road()
    return [make_plate(road, k * 2 + 1, chainage_m=100 * k, status="damaged") for k in range(n)]


def jpeg(size: int = 2000, seed: int = 0) -> bytes:
    """Bytes that start as a JPEG does (the content check reads the head), ``size`` long, distinct per seed."""
    body = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + body)[:size]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def post_json(client, path: str, body) -> tuple[int, dict]:
    response = client.post(API + path, data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def upload(client, data: bytes, chunk: int = 1 << 20, start: int = 0):
    digest = sha(data)
    last = None
    for offset in range(start, len(data), chunk):
        last = client.generic("PATCH", f"{API}/uploads/{digest}", data=data[offset:offset + chunk],
                              content_type="application/offset+octet-stream",
                              headers={"Upload-Offset": str(offset), "Upload-Length": str(len(data))})
        if last.status_code != 204:
            return last
    return last


def marker_body(task: dict, *, state="damaged", note="", photos=(), client_id=None, base=None) -> dict:
    return {"client_id": client_id or str(uuid.uuid4()), "task_id": task["task_id"], "type": task["type"],
            "record_id": task["record_id"], "changes": {"state": state, "note": note},
            "base_versions": base if base is not None else {k: task["versions"][k] for k in ("state", "note")},
            "position": {"lon": task["geometry"]["coordinates"][0], "lat": task["geometry"]["coordinates"][1],
                         "accuracy_m": 1.2, "method": "gnss_avg", "fixes": 5},
            "photos": [{"sha256": sha(p), "bytes": len(p), "role": "marker", "taken_at": "2026-12-02T09:00:00+08:00",
                        "lon": 120.6, "lat": 28.0, "heading": 90} for p in photos],
            "signatures": [], "remarks": "", "made_at": "2026-12-02T09:00:00+08:00"}


def tablet_on_tasks(browser, live_server, username: str, county: str):
    """A 1024x768 tablet on Wenzhou's calendar (as the server's: this machine's may be a day behind), signed in as
    ``username``, the ``county``'s package downloaded and its tasks open: (context, page)."""
    context = browser.new_context(locale="zh-CN", timezone_id=settings.TIME_ZONE,
                                  viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.base_url = live_server.url
    login(page, username)
    page.goto(live_server.url + "/field/")
    page.wait_for_selector("html[data-ready='1']")
    page.click(f"article.package[data-pkg='{county}'] button.download")
    page.click(f"article.package[data-pkg='{county}'] button.open")
    return context, page
