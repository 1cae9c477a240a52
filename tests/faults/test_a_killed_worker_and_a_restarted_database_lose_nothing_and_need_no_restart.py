"""Faults, as tests (issue 14): the worker killed with SIGKILL in the middle of an import, and PostgreSQL stopped and
started again during an import, during a feed stream and while tiles are served. The import keeps no row, its job
ends failed, the next job runs, tiles answer 503 while the database is away and 200 when it is back, a cut feed
stream has no end record, and no process is restarted for it (the supervisor restarts only the worker that was
killed)."""

import os
import signal

import pytest

from doorplates.models import Doorplate, DoorplateImport
from jobs import services
from jobs.models import Job, JobStatus
from tests.base import lucheng_officer
from tests.faults.conftest import PlatesLocked, plates_csv
from tests.processes import Supervised, free_port, product_env, url_of_the_test_database, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

BIG = 2_000  # rows of the import the fault hits, while it waits to insert them (PlatesLocked)
HEARTBEAT = {"JOBS_HEARTBEAT_S": "1"}  # a dead worker's job is found after 4.5 s, not 45


def _submit(officer, data: bytes, title: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.submit("doorplates.import", officer, title=title, upload=SimpleUploadedFile("门牌.csv", data),
                           params={"commit": "valid", "encoding": "auto", "crs": "EPSG:4326",
                                   "file_name": "门牌.csv"})


def _running_midway(job_id, read, lock: PlatesLocked):
    status, done = read(job_id)
    assert status not in ("done", "failed", "cancelled"), "the import ended before the fault could hit it"
    return status == "running" and lock.import_waits()


def test_a_worker_killed_in_the_middle_of_an_import_keeps_no_row_and_the_next_job_runs(
        tmp_path, import_road, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = lucheng_officer()
    big = _submit(officer, plates_csv(import_road, BIG), "大文件")
    small = _submit(officer, plates_csv(import_road, 3, first_building=900), "下一个")
    env = product_env(url_of_the_test_database(), tmp_path, **HEARTBEAT)
    lock = PlatesLocked(url_of_the_test_database().replace("postgis://", "postgresql://")).__enter__()
    worker = Supervised(env, 0, tmp_path / "worker.log", web=False)
    try:
        assert wait_for(lambda: _running_midway(big.pk, _job_state, lock), 300), worker.output()
        os.kill(worker.worker_pids()[0], signal.SIGKILL)
        lock.release()

        assert wait_for(lambda: Job.objects.get(pk=small.pk).status == JobStatus.DONE, 180), worker.output()
        # The restarted worker may take the next job before the killed one's heartbeat is old enough to count as
        # dead: the promise is that it is failed soon after (within a minute at the default heartbeat), not first.
        assert wait_for(lambda: Job.objects.get(pk=big.pk).status == JobStatus.FAILED, 120), worker.output()
    finally:
        lock.release()
        worker.stop()
    big.refresh_from_db()
    assert big.status == JobStatus.FAILED and "重新提交" in big.error
    assert Doorplate.objects.exclude(building="900").count() == 0  # no row of the killed import
    assert Doorplate.objects.filter(building="900").count() == 3 and DoorplateImport.objects.count() == 1


def _job_state(job_id):
    return Job.objects.filter(pk=job_id).values_list("status", "done").get()


def test_a_database_restart_rolls_an_import_back_turns_tiles_to_503_and_back_and_the_worker_reconnects(
        tmp_path, import_road, cluster):
    officer = lucheng_officer()
    cluster.copy_from_the_test_database()
    env = product_env(cluster.url, tmp_path, **HEARTBEAT)
    server = Supervised(env, free_port(), tmp_path / "run.log")
    tile = "/tiles/roads/14/13724/6641.mvt"
    submit = _in_product(env, tmp_path)
    try:
        server.wait_until_serving()
        assert server.get(tile)[0] in (200, 204), server.output()
        pids = (server.worker_pids(), _web_pid(server))

        def state(job_id):
            return tuple(cluster.query("SELECT status, done FROM jobs_job WHERE id = %s", [job_id])[0])

        with PlatesLocked(cluster.dsn()) as lock:
            big = submit(officer.username, plates_csv(import_road, BIG), "大文件")
            assert wait_for(lambda: _running_midway(big, state, lock), 300), server.output()
            cluster.stop()  # ends the lock's connection too
        assert wait_for(lambda: server.get(tile)[0] == 503, 60), server.output()
        cluster.start()
        assert wait_for(lambda: server.get(tile)[0] in (200, 204), 60), server.output()

        assert wait_for(lambda: state(big)[0] == "failed", 120), server.output()
        small = submit(officer.username, plates_csv(import_road, 3, first_building=900), "下一个")
        assert wait_for(lambda: state(small)[0] == "done", 120), server.output()
        assert (server.worker_pids(), _web_pid(server)) == pids  # nothing was restarted
        counts = cluster.query("SELECT count(*) FILTER (WHERE building = '900'), count(*) FROM doorplates_doorplate")
        assert counts == [(3, 3)]  # the next job's rows, none of the rolled-back import
    finally:
        server.stop()


def _web_pid(server):
    import subprocess

    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(server.process.pid)], capture_output=True,
                         text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "granian" in line]


def _in_product(env, tmp_path):
    """Submits a job in the product's own database (the throwaway cluster's), as its import page would."""
    import subprocess

    from tests.processes import PYTHON, ROOT

    def submit(username, data: bytes, title: str) -> int:
        path = tmp_path / f"{title}.csv"
        path.write_bytes(data)
        code = ("from django.core.files.uploadedfile import SimpleUploadedFile; "
                "from django.contrib.auth import get_user_model as User; "
                "from jobs import services; "
                f"job = services.submit('doorplates.import', User().objects.get(username={username!r}), "
                f"title={title!r}, upload=SimpleUploadedFile('门牌.csv', open({str(path)!r}, 'rb').read()), "
                "params={'commit': 'valid', 'encoding': 'auto', 'crs': 'EPSG:4326', 'file_name': '门牌.csv'}); "
                "print(job.pk)")
        done = subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=True)
        return int(done.stdout.strip().splitlines()[-1])

    return submit


def _many_places(template, copies: int) -> None:
    """``copies`` more places like ``template`` (each its own uuid and name), in one statement."""
    from django.db import connection

    from placenames.models import Place

    columns = [f.column for f in Place._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join("name || '-' || g" if c == "name" else f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO placenames_place (uuid, {names}) SELECT gen_random_uuid(), {values} "
                       "FROM placenames_place, generate_series(1, %s) g WHERE uuid = %s", [copies, template.uuid])


def test_a_database_restart_cuts_a_feed_stream_without_its_end_record_and_the_next_read_is_whole(
        tmp_path, wenzhou_counties, cluster):
    """A platform reads a snapshot far larger than what the sockets and the server hold (20,001 places, 7 MB; the
    server stops drawing after about 1.4 MB when its reader does not read); PostgreSQL stops while the stream is under
    way: what arrived has no end record (the reader knows it is cut); once PostgreSQL is back
    the same read, on the same server process, is whole."""
    import http.client
    import json
    import socket

    from accounts.models import ApiToken
    from tests.base import make_user
    from tests.exports.builders import consumer, place

    _many_places(place("测试楼", kind="building"), 20_000)
    platform = make_user("amap", "platform_consumer", "330300")
    consumer(platform, layers=("places",), per_minute=100)
    _token, raw = ApiToken.issue(platform, "amap feed")
    cluster.copy_from_the_test_database()
    env = product_env(cluster.url, tmp_path)
    server = Supervised(env, free_port(), tmp_path / "run.log", worker=False)

    class SlowReader(http.client.HTTPConnection):
        """A reader whose socket holds 64 kB at most (set before connecting, so the kernel does not grow it): what the
        server may draw ahead of it is then bounded by the server's own buffers (about 1.4 MB), well under the 7 MB."""

        def connect(self):
            self.sock = socket.socket()
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            self.sock.settimeout(self.timeout)
            self.sock.connect((self.host, self.port))

    def read(stop_after_first_block: bool):
        reader = SlowReader("127.0.0.1", server.port, timeout=60)
        reader.request("GET", "/api/v1/feed/snapshot?layer=places", headers={"Authorization": f"Bearer {raw}"})
        response = reader.getresponse()
        assert response.status == 200, response.read()[:500]
        body = response.read(64 * 1024)
        if stop_after_first_block:
            cluster.stop()
        try:
            body += response.read()
        except http.client.IncompleteRead as cut:
            body += cut.partial
        reader.close()
        return body.decode("utf-8", "replace").splitlines()

    try:
        server.wait_until_serving()
        pid = _web_pid(server)
        lines = read(stop_after_first_block=True)
        whole = [json.loads(line) for line in lines[:-1]]  # the last line may be cut in the middle
        assert 0 < len(whole) < 20_001 and all(r.get("op") != "end" for r in whole)

        cluster.start()
        assert wait_for(lambda: server.get("/healthz")[0] == 200, 60), server.output()
        *records, end = [json.loads(line) for line in read(stop_after_first_block=False)]
        assert end["op"] == "end" and end["count"] == len(records) == 20_001
        assert _web_pid(server) == pid  # the same server process, reconnected
    finally:
        server.stop()
