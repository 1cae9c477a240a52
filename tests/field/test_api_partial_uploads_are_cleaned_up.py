"""Uploads started and never completed are dropped after their retention period, by a daily chore of the worker and
by `manage.py prune_field_uploads`: their rows and partial files go, complete photos and fresh partials stay, and a
device that still holds the photo sends it again from byte 0 and completes it."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from field.models import Upload
from jobs import registry
from tests.base import build_wenzhou
from tests.field.builders import API, crew_and_officers, jpeg, sha, upload


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "field" / "uploads"


class PartialUploadsAreCleanedUp(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.crew, *_rest = crew_and_officers()

    def setUp(self):
        self.client.force_login(self.crew)

    def start(self, photo: bytes, days_ago: float) -> str:
        digest = sha(photo)
        reply = self.client.generic("PATCH", f"{API}/uploads/{digest}", data=photo[:1000],
                                    content_type="application/offset+octet-stream",
                                    headers={"Upload-Offset": "0", "Upload-Length": str(len(photo))})
        self.assertEqual(reply.status_code, 204)
        then = timezone.now() - dt.timedelta(days=days_ago)
        Upload.objects.filter(sha256=digest).update(updated_at=then)
        os.utime(folder() / f"{digest}.part", (then.timestamp(), then.timestamp()))
        return digest

    def test_stale_partials_go_fresh_ones_and_complete_photos_stay_and_the_device_starts_again(self):
        stale_photo, fresh_photo, whole_photo = jpeg(4000, seed=31), jpeg(4000, seed=32), jpeg(3000, seed=33)
        stale = self.start(stale_photo, days_ago=20)
        fresh = self.start(fresh_photo, days_ago=2)
        self.assertEqual(upload(self.client, whole_photo).status_code, 204)
        whole = sha(whole_photo)
        Upload.objects.filter(sha256=whole).update(updated_at=timezone.now() - dt.timedelta(days=90))
        orphan = folder() / f"{'e' * 64}.part"  # a partial file left without its row (a crash between the two)
        orphan.write_bytes(b"x" * 500)
        os.utime(orphan, (0, 0))

        out = io.StringIO()
        call_command("prune_field_uploads", "--dry-run", stdout=out)
        self.assertIn("would drop 1 partial uploads and 1 orphan files", out.getvalue())
        self.assertTrue((folder() / f"{stale}.part").exists())

        chore = {c.name: c for c in registry.chores()}["field.prune_partial_uploads"]
        self.assertEqual(chore.every, dt.timedelta(days=1))
        self.assertEqual(chore.run(), {"uploads": 1, "orphans": 1, "bytes": 1500})

        self.assertFalse(Upload.objects.filter(sha256=stale).exists())
        self.assertFalse((folder() / f"{stale}.part").exists())
        self.assertFalse(orphan.exists())
        self.assertEqual(Upload.objects.get(sha256=fresh).offset, 1000)
        self.assertTrue((folder() / f"{fresh}.part").exists())
        self.assertTrue(Upload.objects.get(sha256=whole).complete)
        self.assertTrue((Path(settings.MEDIA_ROOT) / Upload.objects.get(sha256=whole).file.name).exists())

        # The device still holds the stale photo: its resumed chunk is told to start at 0, and the photo completes.
        resumed = self.client.generic("PATCH", f"{API}/uploads/{stale}", data=stale_photo[1000:2000],
                                      content_type="application/offset+octet-stream",
                                      headers={"Upload-Offset": "1000", "Upload-Length": str(len(stale_photo))})
        self.assertEqual((resumed.status_code, resumed["Upload-Offset"]), (409, "0"))
        done = upload(self.client, stale_photo)
        self.assertEqual((done.status_code, done["Upload-Complete"]), (204, "1"))

        call_command("prune_field_uploads", "--older-than-days", "1", stdout=io.StringIO())
        self.assertFalse(Upload.objects.filter(sha256=fresh).exists())
        self.assertTrue(Upload.objects.get(sha256=stale).complete)
