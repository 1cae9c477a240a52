"""A disk the data is on running low (red on the admin's index) is mailed to the administrators by the worker's hourly
look: once when it runs low, in the index's words, and again only after it has had room again. A full disk stops the
database and every upload, often before a backup fails, and nobody reads the admin's index every day."""

import pytest
from django.core import mail
from django.core.cache import cache

from jobs.worker import run_due_chores
from tests.backups.test_a_backup_that_would_fill_the_disk_is_not_written import TB, _an_hour_later, _free

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "[Diming] 服务器磁盘空间即将用尽"


def _disk_mails():
    return [sent for sent in mail.outbox if sent.subject == SUBJECT]


def test_a_disk_running_low_is_mailed_once_and_again_after_it_had_room(settings, tmp_path):
    settings.ADMINS = [("it@bureau.example", "it@bureau.example")]
    settings.BACKUP_DIR, settings.BACKUP_COPY_DIR, settings.MEDIA_ROOT = "", "", tmp_path / "media"
    settings.BACKUP_MIN_FREE = 0
    run_due_chores()
    assert _disk_mails() == []  # room enough: nothing said

    settings.BACKUP_MIN_FREE = _free(tmp_path) + TB  # low is less than twice what a backup must leave free
    _an_hour_later()
    run_due_chores()
    (sent,) = _disk_mails()
    assert sent.to == ["it@bureau.example"]
    assert "上传文件" in sent.body and "只剩" in sent.body and "磁盘写满后将无法再保存任何数据" in sent.body
    assert str(tmp_path) not in sent.body  # what it holds, not where

    # a flood of citizens' submissions from many addresses fills the cache with rate-limit counts: what the
    # administrators were told is not dropped with them
    cache.set_many({f"ratelimit:report:{n:024x}:1": 1 for n in range(400)}, 3600)
    _an_hour_later()
    run_due_chores()  # still low: the administrators already know
    assert len(_disk_mails()) == 1

    settings.BACKUP_MIN_FREE = 0
    _an_hour_later()
    run_due_chores()  # room again
    settings.BACKUP_MIN_FREE = _free(tmp_path) + TB
    _an_hour_later()
    run_due_chores()
    assert len(_disk_mails()) == 2


def test_no_mail_is_sent_where_no_administrator_is_set(settings, tmp_path):
    settings.ADMINS = []
    settings.MEDIA_ROOT, settings.BACKUP_MIN_FREE = tmp_path / "media", _free(tmp_path) + TB
    run_due_chores()
    assert mail.outbox == []
