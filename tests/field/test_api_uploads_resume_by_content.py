"""Photos upload in chunks that resume where the server stopped: a cut connection resumes from the offset HEAD
gives, a chunk at the wrong offset gets 409 with the right one, bytes that do not hash to their name get 422 and
are discarded, and a content is stored once however often it is sent."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import TestCase

from field.models import Upload
from tests.base import build_wenzhou
from tests.field.builders import API, crew_and_officers, jpeg, sha, upload


def patch(client, digest, chunk, offset, length, **headers):
    return client.generic("PATCH", f"{API}/uploads/{digest}", data=chunk,
                          content_type=headers.pop("content_type", "application/offset+octet-stream"),
                          headers={"Upload-Offset": str(offset), "Upload-Length": str(length), **headers})


class UploadsResumeByContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.crew, cls.officer, _ouhai, cls.taishun = crew_and_officers()

    def setUp(self):
        self.client.force_login(self.crew)

    def stored_files(self):
        return sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "field" / "uploads").glob("*"))

    def test_a_cut_upload_resumes_from_the_servers_offset_with_no_duplicate(self):
        photo = jpeg(5000, seed=10)
        digest = sha(photo)
        self.assertEqual(self.client.head(f"{API}/uploads/{digest}").status_code, 404)
        self.assertEqual(patch(self.client, digest, photo[:2000], 0, len(photo)).status_code, 204)
        # The connection is cut during the second chunk: the device does not know how much arrived.
        head = self.client.head(f"{API}/uploads/{digest}")
        self.assertEqual((head.status_code, head["Upload-Offset"], head["Upload-Length"]), (200, "2000", "5000"))
        self.assertNotIn("Upload-Complete", head)
        done = upload(self.client, photo, chunk=1500, start=int(head["Upload-Offset"]))
        self.assertEqual((done.status_code, done["Upload-Offset"], done["Upload-Complete"]), (204, "5000", "1"))
        self.assertEqual(self.stored_files(), [f"{digest}.jpg"])
        stored = Path(settings.MEDIA_ROOT) / Upload.objects.get(sha256=digest).file.name
        self.assertEqual(sha(stored.read_bytes()), digest)
        # Sent again, by the same crew or another: nothing more is stored.
        self.assertEqual(upload(self.client, photo).status_code, 204)
        self.client.force_login(self.taishun)
        self.assertEqual(upload(self.client, photo, chunk=700).status_code, 204)
        self.assertEqual(self.stored_files(), [f"{digest}.jpg"])
        self.assertEqual(Upload.objects.filter(sha256=digest).count(), 1)
        head = self.client.head(f"{API}/uploads/{digest}")
        self.assertEqual((head["Upload-Offset"], head["Upload-Complete"]), ("5000", "1"))

    def test_a_chunk_at_the_wrong_offset_gets_409_with_the_right_one(self):
        photo = jpeg(3000, seed=11)
        digest = sha(photo)
        patch(self.client, digest, photo[:1000], 0, len(photo))
        response = patch(self.client, digest, photo[2000:], 2000, len(photo))
        self.assertEqual((response.status_code, response["Upload-Offset"]), (409, "1000"))
        self.assertEqual(response.json()["error"]["code"], "offset_mismatch")
        response = patch(self.client, digest, photo[:1000], 0, len(photo))  # a chunk sent twice
        self.assertEqual(response.status_code, 409)
        self.assertEqual(patch(self.client, digest, photo[1000:], 1000, len(photo)).status_code, 204)
        self.assertTrue(Upload.objects.get(sha256=digest).complete)

    def test_bytes_that_do_not_match_their_sha256_are_discarded_with_422(self):
        photo = jpeg(2000, seed=12)
        digest = sha(jpeg(2000, seed=13))
        response = patch(self.client, digest, photo, 0, len(photo))
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (422, "sha256_mismatch"))
        self.assertTrue(response.json()["error"]["message"])
        self.assertFalse(Upload.objects.filter(sha256=digest).exists())
        self.assertEqual(self.stored_files(), [])
        self.assertEqual(self.client.head(f"{API}/uploads/{digest}").status_code, 404)

    def test_only_images_up_to_the_limits_are_taken(self):
        html = b"<html><script>alert(1)</script></html>" * 10
        response = patch(self.client, sha(html), html, 0, len(html))
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (422, "unsupported_file_type"))
        photo = jpeg(100, seed=14)
        self.assertEqual(patch(self.client, sha(photo), photo, 0, 11 << 20).status_code, 413)
        big = jpeg((1 << 20) + 10, seed=15)
        self.assertEqual(patch(self.client, sha(big), big, 0, len(big)).status_code, 413)
        for bad in ({"Upload-Offset": "-1"}, {"Upload-Offset": "x"}, {"content_type": "image/jpeg"}):
            headers = {"Upload-Offset": "0", "Upload-Length": str(len(photo)), **bad}
            content_type = headers.pop("content_type", "application/offset+octet-stream")
            response = self.client.generic("PATCH", f"{API}/uploads/{sha(photo)}", data=photo,
                                           content_type=content_type, headers=headers)
            self.assertEqual(response.status_code, 400, bad)
            self.assertTrue(response.json()["error"]["message"])
        self.assertEqual(patch(self.client, "not-a-sha", photo, 0, len(photo)).status_code, 400)
        self.assertEqual(self.stored_files(), [])
