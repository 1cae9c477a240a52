"""In a browser, with every outside request blocked: the 鹿城 officer opens the QR tags of his line's markers from
the line's page and prints them (one A4 page for three tags, the page's tools left out, no position on it), then
adds a photo on a marker's page and sees it there, read through the checked view."""

import re
import subprocess
import tempfile

import pytest

from tests.base import build_wenzhou, login
from tests.boundaries.lines_base import line_with_markers, officers
from tests.cemeteries.builders import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def line(db):
    build_wenzhou(villages=False)
    lucheng, *_ = officers()
    return line_with_markers(lucheng)


def _pdf_pages(pdf: bytes) -> tuple[int, str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
        text = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1]), re.search(r"Page size:\s+(.*)", info)[1], text


def test_a_side_prints_his_markers_tags_on_a4_and_adds_a_photo(offline_page, line):
    page = offline_page
    login(page, "lucheng_officer")
    page.goto(page.base_url + f"/boundaries/lines/{line.uuid}/")
    page.click("#marker-sheet-link")
    page.wait_for_selector("#marker-sheet")
    markers = list(line.markers.order_by("sequence"))
    assert page.locator("#marker-sheet figure.tag svg").count() == 3
    assert page.locator("#marker-sheet .number").all_inner_texts() == [m.number for m in markers]

    pages, size, text = _pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))

    assert pages == 1 and "A4" in size, size
    assert markers[0].number in text and "打印" not in text  # the tools are not printed
    assert f"{markers[0].geom.x:.4f}" not in text and f"{markers[0].geom.y:.4f}" not in text

    page.goto(page.base_url + f"/boundaries/markers/{markers[0].uuid}/")
    page.set_input_files("#marker-photo-form input[name=photo]",
                         {"name": "界桩.jpg", "mimeType": "image/jpeg", "buffer": PNG})
    page.fill("#marker-photo-form input[name=caption]", "东侧远景")
    page.click("#marker-photo-form button[type=submit]")
    page.wait_for_selector("#marker-photos img")
    assert page.locator("ul.messages li").inner_text() == "照片已添加。"
    assert page.eval_on_selector("#marker-photos img", "img => img.complete && img.naturalWidth") == 1
    assert not page.blocked and not page.problems, (page.blocked, page.problems)
