"""Demo of rural names collected in the field (乡村地名采集) into the 乡村著名 campaign of 文成县: what a new user finds in
the office's review list. The 文成 crew has sent names with photos of the place: two wait for review, two were
approved (registered, in the campaign, their photos on the public gazetteer page), and one was refused with a
reason and sent again corrected, now waiting. Everything goes through the field app's own services, as the tablet's
requests would. All names are invented; the photos are small drawn images."""

from __future__ import annotations

import hashlib
import struct
import uuid
import zlib

from django.contrib.auth import get_user_model

from boundaries.demo import DemoContext, register
from boundaries.models import AdminArea
from field import submissions, uploads
from field.models import ReviewState, Submission
from field.uploads import check_sha
from placenames import rural_tasks

CREW, OFFICER = "wencheng_field", "wencheng_officer"  # accounts.demo
COUNTY = "330328"  # 文成县, the county of the demo campaign (placenames.registry_demo)
SOURCE = "演示普查数据（合成）"  # placenames.registry_demo.DEMO_SOURCE: clearing the census demo removes their places
# (name, meaning, origin, offset from the county's inner point in degrees, what the office did)
NAMES = [
    ("枫树岙", "岙中多枫树", "明末刘姓自青田迁此", (0.010, 0.004), "approved"),
    ("龙潭背", "村在龙潭背后", "清初周姓建村", (-0.012, 0.006), "approved"),
    ("竹林下", "村居竹林之下", "清中叶朱姓迁此", (0.006, -0.010), "pending"),
    ("石门坑", "两岩对峙如门", "民国时由外村析出", (-0.008, -0.007), "pending"),
]
REFUSED = ("桥头垟", "位置偏了，请在村口重新点选", (0.015, -0.002), (0.0152, -0.0024))


@register(36, "field.rural_names")
def build_rural_names_demo(ctx: DemoContext):
    users = get_user_model().objects.filter(username__in=(CREW, OFFICER)).in_bulk(field_name="username")
    Submission.objects.filter(user__username=CREW, task_type=rural_tasks.TASK_TYPE).delete()
    if len(users) < 2:
        return
    crew, officer = users[CREW], users[OFFICER]
    task = next((c for c in rural_tasks.campaign_counties(crew) if c.record_id.endswith(f"-{COUNTY}")), None)
    if task is None:
        return  # no campaign in the county (the census demo was skipped)
    centre = AdminArea.objects.get(code=COUNTY).geom.point_on_surface
    made = {"approved": 0, "pending": 0}
    for k, (name, meaning, origin, offset, outcome) in enumerate(NAMES):
        sub = _send(crew, task.record_id, name, meaning, origin, (centre.x + offset[0], centre.y + offset[1]), k)
        if outcome == "approved":
            submissions.review(officer, sub, ReviewState.APPROVED, "")
        made[outcome] += 1
    name, reason, first, corrected = REFUSED
    refused = _send(crew, task.record_id, name, "村在桥头平地", "清末季姓建村", (centre.x + first[0], centre.y + first[1]), 9)
    submissions.review(officer, refused, ReviewState.REJECTED, reason)
    _send(crew, task.record_id, name, "村在桥头平地", "清末季姓建村", (centre.x + corrected[0], centre.y + corrected[1]), 9)
    ctx.log(f"外业采集乡村地名（文成县）：待审核 {made['pending'] + 1} 条（其中退回后重报 1 条），已通过 {made['approved']} 条（带照片）")


def _send(crew, record_id: str, name: str, meaning: str, origin: str, lonlat, seed: int) -> Submission:
    """A submission as the tablet sends it: its photo of the place uploaded first (by content), then the record."""
    photo = _photo(seed)
    digest = check_sha(hashlib.sha256(photo).hexdigest())
    uploads.receive(crew, digest, offset=0, length=len(photo), chunk=photo)
    body = {"client_id": str(uuid.uuid4()), "task_id": f"{rural_tasks.TASK_TYPE}:{record_id}",
            "type": rural_tasks.TASK_TYPE, "record_id": record_id,
            "changes": {"name": name, "category": "222", "meaning": meaning, "origin": origin, "source": SOURCE},
            "base_versions": {}, "position": {"lon": lonlat[0], "lat": lonlat[1], "accuracy_m": 4.0,
                                              "method": "gnss_avg", "fixes": 5},
            "photos": [{"sha256": digest, "bytes": len(photo), "role": "place", "taken_at": "2026-11-20T10:00:00+08:00",
                        "lon": lonlat[0], "lat": lonlat[1], "heading": 90}],
            "signatures": [], "remarks": "", "made_at": "2026-11-20T10:05:00+08:00"}
    submissions.submit(crew, body)
    return Submission.objects.get(user=crew, client_id=body["client_id"])


def _photo(seed: int, width: int = 96, height: int = 64) -> bytes:
    """A small PNG: sky over a green hill, its colours shifted by ``seed`` (distinct content, distinct upload)."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            hill = y > height * 0.55 + 10 * ((x + seed * 7) % width) / width
            row += bytes((40 + seed * 9 % 60, 140, 60) if hill else (120, 170 + seed * 5 % 60, 230))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))
