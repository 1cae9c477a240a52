"""With DIMING_ADMINS set, the administrators are mailed when the daily backup fails: once (not at each hourly look
that fails again), in the words and figures of the admin's index, and again only after one has succeeded. Django's
own mail of each server error stays off: it would carry the request's data (grave owners' names and phones)."""

import logging
import shutil

import pytest
from django.core import mail

from backups import archive
from jobs.worker import run_due_chores
from tests.backups.test_a_backup_that_would_fill_the_disk_is_not_written import TB, _an_hour_later, _free

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_daily_backup_is_mailed_once_and_again_after_a_success(settings, tmp_path):
    settings.ADMINS = [("it@bureau.example", "it@bureau.example")]
    settings.BACKUP_DIR, settings.MEDIA_ROOT = str(tmp_path / "daily"), tmp_path / "media"
    settings.BACKUP_MIN_FREE = _free(tmp_path) + TB
    run_due_chores()
    assert len(_backup_mails()) == 1
    sent = _backup_mails()[0]
    assert sent.to == ["it@bureau.example"] and sent.subject == "[Diming] 每日备份失败"
    assert "的每日备份未能进行：备份目录所在磁盘只剩" in sent.body and "还须为数据库留出" in sent.body

    _an_hour_later()
    run_due_chores()  # fails again: the administrators already know
    assert len(_backup_mails()) == 1

    settings.BACKUP_MIN_FREE = 0
    _an_hour_later()
    run_due_chores()  # made
    (made,) = archive.backups()
    shutil.rmtree(made.path)  # as if a day had passed: the next one is due, and fails
    settings.BACKUP_MIN_FREE = _free(tmp_path) + TB
    _an_hour_later()
    run_due_chores()
    assert len(_backup_mails()) == 2


def _backup_mails():  # the disks' own watch mails that they are low too (with so large a reserve, they are)
    return [sent for sent in mail.outbox if sent.subject == "[Diming] 每日备份失败"]


def test_a_server_error_mails_nothing_it_carried(settings):
    settings.ADMINS = [("it@bureau.example", "it@bureau.example")]
    settings.DEBUG = False
    logging.getLogger("django.request").error("Internal Server Error: /cemeteries/api/graves/",
                                              extra={"status_code": 500, "request": None})
    assert mail.outbox == []
