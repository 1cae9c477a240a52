"""The field app's sync over loopback: crews send checked graves with two photos each, photos in resumable chunks
checked by SHA-256, a tenth of the submissions sent again (a device that never heard the answer), against a plain
multipart upload of the same bytes to the same server in the same run.

Run: .venv/bin/python -m bench.field      (BENCH_FIELD_SUBMISSIONS=500, BENCH_FIELD_PHOTO_KB=1000)

Builds its own throwaway database ``diming_bench_field`` with the demo counties, a crew of 鹿城区 that registered
BENCH_FIELD_GRAVES graves (so it is their assigned crew), and starts the product's server (granian, as in
production) with its own media folder. Then:

- the county's work package (every grave to check, with values, per-field versions and the owner data the crew may
  see) is fetched BENCH_RUNS times: median time and size;
- BENCH_FIELD_CLIENTS devices each send their share of BENCH_FIELD_SUBMISSIONS submissions: for each, both photos
  (PATCH chunks of BENCH_FIELD_CHUNK_KB from byte 0, as the app's first try does), then the submission; every
  tenth is sent twice: half of those again after the answer, half at the same time on a second connection;
- the peer: the same number of photo bytes posted as plain multipart uploads (the joint inspection's photo API:
  one POST per photo, no resume, no content hash, no idempotency);
- then the database is checked: every submission accepted exactly once (one submission row, one step to
  "checked" per grave, two photos per grave, each content stored once), the resent ones answered with the first
  answer and nothing more.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench._common import (
    database_url,
    drop_database,
    env_count,
    env_number,
    on_threads,
    server,
    throwaway_database,
)

SUBMISSIONS = env_count("BENCH_FIELD_SUBMISSIONS", 500)
GRAVES = max(env_count("BENCH_FIELD_GRAVES", 2000), SUBMISSIONS)
PHOTO_BYTES = int(env_number("BENCH_FIELD_PHOTO_KB", 1000) * 1000)
CHUNK = int(env_number("BENCH_FIELD_CHUNK_KB", 512) * 1024)
CLIENTS = env_count("BENCH_FIELD_CLIENTS", 4)
RESEND_EVERY = 10
RUNS = env_count("BENCH_RUNS", 3)
WORKERS = env_count("BENCH_WORKERS", 2)
THREADS = env_count("BENCH_THREADS", 4)
COUNTY = "330302"
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-pw-2026!"


def _build():
    from django.contrib.gis.geos import Point

    from accounts.roles import Role
    from borders import inspections, lines
    from boundaries.demo import build_area_specs
    from boundaries.models import AdminArea
    from boundaries.services import save_demo_areas
    from cemeteries import services as graves

    started = time.perf_counter()
    save_demo_areas([s for s in build_area_specs(0.6) if s.level != "village"])
    crew = make_user("bench_crew", Role.FIELD_CREW, COUNTY, password=PASSWORD)
    officer = make_user("bench_officer", Role.OFFICER, COUNTY, password=PASSWORD)
    county = AdminArea.objects.get(code=COUNTY)
    rng = random.Random(18)
    xmin, ymin, xmax, ymax = county.geom.extent
    made = 0
    while made < GRAVES:
        point = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), srid=4490)
        if not county.geom.contains(point):
            continue
        graves.register_grave(crew, geom=point, owner_name=f"业主{made}", owner_phone=f"139{made:08d}",
                              tomb_count=1 + made % 3)
        made += 1
    # The peer's target: a marker record of the 鹿城-瓯海 line that the crew may add photos to.
    line = lines.derive_line(officer, county, AdminArea.objects.get(code="330304"), name="鹿瓯线")
    part = line.geom[0]
    site = part.interpolate_normalized(0.5)
    [marker] = lines.register_markers(officer, line, [{"points": [Point(site.x, site.y, srid=4490)]}])
    campaign = inspections.open_campaign(officer, line, year=2026)
    record = inspections.save_record(crew, campaign, {"state": "intact"}, marker=marker)
    print(f"{GRAVES:,} graves registered by the crew of {county.name} (and the peer's marker record) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    return record.uuid


def make_user(username: str, role: str, area_code: str, *, password: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.models import AreaAssignment
    from boundaries.models import AdminArea

    user = get_user_model().objects.create_user(username=username, password=password)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    AreaAssignment.objects.create(user=user, area=AdminArea.objects.get(code=area_code))
    return user


def _server(media: Path):
    env = {**os.environ, "DATABASE_URL": database_url("postgis"), "DJANGO_DEBUG": "false",
           "DATABASE_CONN_MAX_AGE": "600", "DIMING_LOG_LEVEL": "ERROR", "PYTHONDONTWRITEBYTECODE": "1",
           "DIMING_MEDIA_ROOT": str(media)}
    command = [str(Path(sys.executable).with_name("granian")), "--interface", "wsgi", "config.wsgi:application",
               "--host", "127.0.0.1", "--port", "{port}", "--workers", str(WORKERS), "--blocking-threads",
               str(THREADS), "--log-level", "error", "--no-access-log"]
    return server("the server", command, env, "/healthz", media.parent / "server.log")


class Device:
    """One tablet: a keep-alive connection with the crew's session cookie and CSRF token."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        status, body, _ = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
        form = f"username={username}&password={PASSWORD}&csrfmiddlewaretoken={token}".encode()
        status, body, _ = self.request("POST", "/accounts/login/", form,
                                       {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, (status, body[:300])
        status, body, _ = self.request("GET", "/field/api/v1/session")
        assert status == 200, (status, body[:300])
        import json

        self.csrf = json.loads(body)["csrf_token"]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in ("GET", "HEAD") and getattr(self, "csrf", None):
            headers["X-CSRFToken"] = self.csrf
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closed an idle keep-alive connection: a new one, and the same request again (every
            # request here may be repeated: that is what the API is built for).
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, data, response

    def json(self, method: str, path: str, document=None):
        import json

        body = None if document is None else json.dumps(document).encode()
        status, data, _ = self.request(method, path, body, {"Content-Type": "application/json"})
        return status, json.loads(data) if data else None

    def upload(self, data: bytes) -> None:
        """As the app does: a first try starts at byte 0 (no HEAD); a 409 gives the server's offset."""
        digest = hashlib.sha256(data).hexdigest()
        offset = 0
        while offset < len(data):
            chunk = data[offset:offset + CHUNK]
            status, body, response = self.request("PATCH", f"/field/api/v1/uploads/{digest}", chunk, {
                "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset),
                "Upload-Length": str(len(data))})
            if status == 409:
                offset = int(response.getheader("Upload-Offset"))
                continue
            assert status == 204, (status, body[:300])
            if response.getheader("Upload-Complete") == "1":
                return
            offset = int(response.getheader("Upload-Offset"))


def photo(seed: int) -> bytes:
    """A distinct, real JPEG of PHOTO_BYTES: a small picture of noise (distinct pixels per seed, so no upload is
    taken for another) and comment segments after its start for the rest of the bytes, made in about a millisecond
    as the old random blob was. The office's photo APIs walk an image's container and refuse one that is not whole
    (core.images), and drop the comments there as metadata: the peer stores the picture alone, the field API keeps
    what the tablet sent (it names a photo by its hash)."""
    import io

    from PIL import Image

    noise = random.Random(seed)
    out = io.BytesIO()
    Image.frombytes("RGB", (32, 32), noise.randbytes(32 * 32 * 3)).save(out, "JPEG", quality=90)
    picture = out.getvalue()
    comments, fill = [], PHOTO_BYTES - len(picture)
    while fill >= 4:
        size = min(fill, 65537)  # a segment: its marker, its length (2 to 65535, counting itself) and the payload
        if 0 < fill - size < 4:
            size -= 4
        comments.append(b"\xff\xfe" + (size - 2).to_bytes(2, "big") + noise.randbytes(size - 4))
        fill -= size
    return picture[:2] + b"".join(comments) + picture[2:]


def _send(device: Device, task: dict, index: int, twin: Device | None = None) -> tuple[dict, dict, float]:
    photos = [photo(2 * index), photo(2 * index + 1)]
    started = time.perf_counter()
    for data in photos:
        device.upload(data)
    lon, lat = task["geometry"]["coordinates"]
    body = {"client_id": str(uuid.uuid4()), "task_id": task["task_id"], "type": task["type"],
            "record_id": task["record_id"], "changes": {"confirmed": True, "note": f"现场核实 {index}"},
            "base_versions": {"confirmed": task["versions"]["confirmed"], "note": task["versions"]["note"]},
            "position": {"lon": lon, "lat": lat, "accuracy_m": 2.5, "method": "gnss_avg", "fixes": 5},
            "photos": [{"sha256": hashlib.sha256(p).hexdigest(), "bytes": len(p), "role": role,
                        "taken_at": "2026-12-02T10:00:00+08:00"} for p, role in zip(photos, ("before", "road"), strict=True)],
            "signatures": [], "remarks": "", "made_at": "2026-12-02T10:00:00+08:00"}
    if twin is None:
        status, answer = device.json("POST", "/field/api/v1/submissions", body)
        assert (status, answer["state"]) == (201, "accepted"), (status, answer)
        return body, answer, time.perf_counter() - started
    # The same submission sent again on a second connection while the first is still being taken (a device that
    # timed out and retried): one of them takes it (201), the other gets its answer (200).
    other: dict = {}
    retry = threading.Thread(target=lambda: other.update(reply=twin.json("POST", "/field/api/v1/submissions", body)))
    retry.start()
    status, answer = device.json("POST", "/field/api/v1/submissions", body)
    retry.join()
    twin_status, twin_answer = other["reply"]
    assert sorted((status, twin_status)) == [200, 201], (status, twin_status, answer, twin_answer)
    assert answer["state"] == twin_answer["state"] == "accepted" and answer["client_id"] == twin_answer["client_id"]
    return body, answer, time.perf_counter() - started


def _crews(port: int, tasks: list[dict]) -> dict:
    shares = [tasks[k::CLIENTS] for k in range(CLIENTS)]

    def run(k: int) -> list:
        rows = []
        device, twin = Device(port, "bench_crew"), Device(port, "bench_crew")
        for task in shares[k]:
            index = tasks.index(task)
            at_once = index % (2 * RESEND_EVERY) == 0
            body, answer, seconds = _send(device, task, index, twin if at_once else None)
            resent = at_once
            if index % (2 * RESEND_EVERY) == RESEND_EVERY:  # the device never heard the answer: sends it again
                status, again = device.json("POST", "/field/api/v1/submissions", body)
                assert status == 200 and again["state"] == answer["state"] and \
                    again["client_id"] == answer["client_id"], (status, again)
                resent = True
            rows.append((body["client_id"], seconds, resent))
        return rows

    started = time.perf_counter()
    results = on_threads(CLIENTS, run)
    elapsed = time.perf_counter() - started
    rows = [row for share in results for row in share]
    return {"elapsed": elapsed, "latencies": [r[1] for r in rows], "resent": sum(1 for r in rows if r[2]),
            "client_ids": [r[0] for r in rows]}


def _peer(port: int, record_uuid, count: int) -> float:
    """``count`` photos of PHOTO_BYTES posted as plain multipart uploads by CLIENTS devices; seconds."""
    def run(k: int) -> None:
        device = Device(port, "bench_crew")
        for index in range(k, count, CLIENTS):
            data = photo(10_000_000 + index)
            boundary = uuid.uuid4().hex
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p{index}.jpg\""
                    f"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
            status, answer, _ = device.request(
                "POST", f"/boundaries/api/records/{record_uuid}/photos/", body,
                {"Content-Type": f"multipart/form-data; boundary={boundary}"})
            assert status == 201, (status, answer[:300])

    started = time.perf_counter()
    on_threads(CLIENTS, run)
    return time.perf_counter() - started


def _package(port: int) -> tuple[list[dict], float, int]:
    device = Device(port, "bench_crew")
    times, size, tasks = [], 0, []
    for _ in range(RUNS):
        started = time.perf_counter()
        status, data, _ = device.request("GET", f"/field/api/v1/packages/{COUNTY}")
        times.append(time.perf_counter() - started)
        assert status == 200, data[:300]
        size = len(data)
    import json

    tasks = [t for t in json.loads(data)["tasks"] if t["type"] == "grave_check"]
    return tasks, statistics.median(times), size


def _check(client_ids: list[str], media: Path) -> None:
    """Every submission accepted exactly once, each photo stored once."""
    from audit.models import Action, Change
    from cemeteries.models import Grave, GravePhoto
    from field.models import Submission, Upload

    subs = Submission.objects.filter(client_id__in=client_ids)
    assert subs.count() == len(client_ids) == len(set(client_ids)) == SUBMISSIONS, subs.count()
    assert not subs.exclude(state="accepted").exists()
    assert Grave.objects.filter(state="checked").count() == SUBMISSIONS
    steps = Change.objects.filter(action=Action.TRANSITION, client_ref__startswith="field:",
                                  after__state="checked").values_list("object_id", flat=True)
    assert len(steps) == len(set(steps)) == SUBMISSIONS, (len(steps), len(set(steps)))
    assert GravePhoto.objects.count() == 2 * SUBMISSIONS
    assert Upload.objects.filter(complete=True).count() == 2 * SUBMISSIONS
    stored = list((media / "field" / "uploads").glob("*"))
    assert len(stored) == 2 * SUBMISSIONS and not [p for p in stored if p.suffix == ".part"], len(stored)


def _measure(record_uuid) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-field-"))
    media = tmp / "media"
    media.mkdir()
    try:
        with _server(media) as port:
            tasks, package_s, package_bytes = _package(port)
            print(f"work package of 鹿城区: {len(tasks):,} graves to check, {package_bytes / 1e6:.2f} MB JSON, "
                  f"fetched in {package_s * 1000:.0f} ms (median of {RUNS})", flush=True)
            tasks = tasks[:SUBMISSIONS]
            assert len(tasks) == SUBMISSIONS
            ours = _crews(port, tasks)
            photo_mb = 2 * SUBMISSIONS * PHOTO_BYTES / 1e6
            p50, p95 = statistics.median(ours["latencies"]), sorted(ours["latencies"])[
                int(0.95 * (len(ours["latencies"]) - 1))]
            print(f"ours: {SUBMISSIONS} submissions with 2 photos of {PHOTO_BYTES / 1e6:.1f} MB each "
                  f"({CHUNK // 1024} KB chunks as the app sends them), {CLIENTS} devices, {ours['resent']} sent again: "
                  f"{ours['elapsed']:.1f} s -> {SUBMISSIONS / ours['elapsed']:.1f} submissions/s, "
                  f"{photo_mb / ours['elapsed']:.1f} MB/s of photos; per submission p50 {p50 * 1000:.0f} ms, "
                  f"p95 {p95 * 1000:.0f} ms", flush=True)
            peer_s = _peer(port, record_uuid, 2 * SUBMISSIONS)
            print(f"peer: the same {2 * SUBMISSIONS} photos' bytes as plain multipart POSTs (no resume, no hash, "
                  f"no idempotency): {peer_s:.1f} s -> {photo_mb / peer_s:.1f} MB/s", flush=True)
            _check(ours["client_ids"], media)
            print(f"checked: {SUBMISSIONS} submissions accepted exactly once ({ours['resent']} resends answered "
                  f"with their first answer), one step to 'checked' per grave, {2 * SUBMISSIONS} photos each "
                  f"stored once")
            print(f"ratio: ours / plain upload = {peer_s / ours['elapsed']:.2f}x the photo throughput "
                  f"(1.0 = the resumable, checked, idempotent path costs nothing over a plain upload)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    old = throwaway_database("field")
    try:
        _measure(_build())
    finally:
        drop_database(old)


if __name__ == "__main__":
    main()
