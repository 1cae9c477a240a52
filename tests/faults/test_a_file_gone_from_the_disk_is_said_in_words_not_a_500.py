"""A stored file the database still names but the disk no longer holds (removed by hand, lost with a disk, a database
restored without its files) was a 500 wherever a view opened it itself. Now the page, the API and a background job
say that the file is gone and what to do, without its path, and the administrator's log names the path."""

from __future__ import annotations

import logging
import os

import pytest
from django.urls import reverse

from cemeteries.weekly import archive_last_week
from core.errors import file_missing
from tests.cemeteries.campaign_scene import build
from tests.cemeteries.test_weekly_report_is_made_each_week_by_the_worker import MONDAY, client_of

pytestmark = pytest.mark.django_db


def test_a_kept_weekly_report_whose_file_is_gone_is_said_in_words_and_logged(caplog):
    scene = build()
    made = archive_last_week(MONDAY)
    os.remove(made.xlsx.path)
    with caplog.at_level(logging.ERROR, logger="core.errors"):
        page = client_of(scene["city"]).get(reverse("cemeteries:weekly_kept", args=["2026-10-04", "xlsx"]))
    body = page.content.decode()
    assert page.status_code == 404 and "服务器上已找不到这个文件" in body and "从备份中恢复" in body
    assert made.xlsx.name not in body and "/media" not in body and "Traceback" not in body
    assert any(made.xlsx.path in record.getMessage() for record in caplog.records)


def test_a_file_gone_outside_the_uploads_is_left_to_the_server_s_own_fault(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    try:
        open(tmp_path / "elsewhere.txt", "rb")  # noqa: SIM115 - the error itself is what is tested
    except FileNotFoundError as error:
        assert file_missing(error) is None  # a program's own missing file is a fault of the server, not lost data
    inside = FileNotFoundError(2, "No such file or directory", str(tmp_path / "media" / "a" / "b.jpg"))
    assert file_missing(inside).code == "file_missing" and file_missing(inside).http_status == 404
