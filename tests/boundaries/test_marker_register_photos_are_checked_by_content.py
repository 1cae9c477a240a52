"""A photo on a marker's register entry: uploaded on the marker's page by a side, accepted by its content (a PNG
named .jpg is stored as the PNG it is; a web page named .jpg is refused and nothing is kept), audited, shown on the
page and read back only through the view that checks the reader's right to the line (the admin links to it too)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from audit.models import Action, Change
from boundaries.line_models import MarkerPhoto
from tests.base import administrator, build_wenzhou
from tests.boundaries.lines_base import line_with_markers, officers
from tests.cemeteries.builders import PNG


class MarkerPhotos(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.admin = administrator()
        cls.marker = line_with_markers(cls.admin, fractions=(0.5,)).markers.get()
        cls.lucheng, cls.ouhai, _city, cls.taishun = officers()

    def test_a_side_adds_a_photo_checked_by_content_and_the_other_side_reads_it(self):
        self.client.force_login(self.lucheng)
        page_url = f"/boundaries/markers/{self.marker.uuid}/"
        assert 'id="marker-photo-form"' in self.client.get(page_url).content.decode()

        response = self.client.post(f"{page_url}photos/", {
            "photo": SimpleUploadedFile("界桩.jpg", PNG, content_type="image/jpeg"), "caption": "东侧远景"})

        assert response.status_code == 302
        photo = MarkerPhoto.objects.get(marker=self.marker)
        assert photo.image.name.endswith(".png") and photo.caption == "东侧远景" and photo.uploaded_by == self.lucheng
        assert Change.objects.for_object(photo).get().action == Action.CREATE
        self.client.force_login(self.ouhai)
        page = self.client.get(page_url).content.decode()
        assert f"/boundaries/markers/photos/{photo.pk}/" in page and "/media/" not in page and "东侧远景" in page
        served = self.client.get(f"/boundaries/markers/photos/{photo.pk}/")
        assert served.status_code == 200 and served["Content-Type"] == "image/png"
        assert b"".join(served.streaming_content) == PNG
        self.client.force_login(self.admin)
        admin_page = self.client.get(f"/admin/boundaries/boundarymarker/{self.marker.pk}/change/").content.decode()
        assert f"/boundaries/markers/photos/{photo.pk}/" in admin_page and "/media/" not in admin_page

    def test_a_web_page_named_jpg_is_refused_and_a_stranger_neither_adds_nor_reads(self):
        self.client.force_login(self.lucheng)
        page_url = f"/boundaries/markers/{self.marker.uuid}/"
        refused = self.client.post(f"{page_url}photos/", {
            "photo": SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>"),
            "caption": "界桩东侧"})
        assert refused.status_code == 400 and "不是可接受的文件类型" in refused.content.decode()
        assert 'value="界桩东侧"' in refused.content.decode()  # the caption typed stays
        assert not MarkerPhoto.objects.exists()
        photo = MarkerPhoto.objects.create(marker=self.marker, image=SimpleUploadedFile("p.png", PNG))
        self.client.force_login(self.taishun)
        assert self.client.get(f"/boundaries/markers/photos/{photo.pk}/").status_code == 404
        stranger = self.client.post(f"{page_url}photos/", {"photo": SimpleUploadedFile("p.png", PNG)})
        assert stranger.status_code == 404 and MarkerPhoto.objects.count() == 1
