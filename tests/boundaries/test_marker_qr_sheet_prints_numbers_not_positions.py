"""The printable QR tags of boundary markers: the markers of the user's own lines only, each tag with its number, its
line and a code of the marker record's address (the record page's own), never the marker's position, which is
internal; a line the user is no side of is not found."""

from django.test import TestCase

from borders.pages import _qr_tag
from tests.base import administrator, build_wenzhou
from tests.boundaries.lines_base import line_with_markers, officers


def _positions(marker) -> list[str]:
    x, y = marker.geom.x, marker.geom.y
    return [f"{v:.{digits}f}" for v in (x, y) for digits in (3, 4, 5, 6, 7, 8)]


class MarkerSheet(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.line = line_with_markers(administrator(), fractions=(0.2, 0.5, 0.8))
        cls.lucheng, _ouhai, _city, cls.taishun = officers()

    def test_a_side_prints_its_markers_numbers_and_line_with_codes_of_their_records_and_no_position(self):
        self.client.force_login(self.lucheng)
        assert "/boundaries/markers/sheet/?line=" in self.client.get(f"/boundaries/lines/{self.line.uuid}/").content.decode()

        page = self.client.get(f"/boundaries/markers/sheet/?line={self.line.uuid}").content.decode()

        markers = list(self.line.markers.order_by("sequence"))
        assert page.count('class="tag"') == 3 and "@page" not in page  # the A4 layout is the stylesheet's
        for marker in markers:
            assert marker.number in page
            assert _qr_tag(f"http://testserver/boundaries/markers/{marker.uuid}/") in page
            for text in _positions(marker):
                assert text not in page, text
        assert page.count(self.line.name) >= 3 and "marker_sheet.css" in page
        every = self.client.get("/boundaries/markers/sheet/").content.decode()
        assert every.count('class="tag"') == 3  # all his lines: this one

    def test_a_stranger_prints_nothing_of_a_line_he_is_no_side_of(self):
        self.client.force_login(self.taishun)
        assert self.client.get(f"/boundaries/markers/sheet/?line={self.line.uuid}").status_code == 404
        assert self.client.get("/boundaries/markers/sheet/?line=not-a-uuid").status_code == 404
        page = self.client.get("/boundaries/markers/sheet/").content.decode()
        assert 'class="tag"' not in page and self.line.markers.first().number not in page
