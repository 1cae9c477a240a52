"""When a page finds no background worker, the administrators are mailed, in the bureau's language whatever the
language of whoever noticed, at most once an hour; the mail counts the waiting jobs and carries nothing of them."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation

from jobs.models import Job
from jobs.services import WORKER_ALERTED, alert_worker_down

pytestmark = pytest.mark.django_db


def test_the_worker_down_mail_is_chinese_counts_the_jobs_and_is_sent_once_an_hour(settings):
    settings.ADMINS = [("it@bureau.example", "it@bureau.example")]
    cache.delete(WORKER_ALERTED)
    Job.objects.create(kind="doorplates.import", title="秘密的名字.csv 导入")
    with translation.override("en"):
        alert_worker_down()
        alert_worker_down()
    (sent,) = mail.outbox
    assert sent.subject == "[Diming] 后台工作进程已停止"
    assert "1 个任务正在等待" in sent.body and "manage.py run_jobs" in sent.body
    assert "秘密" not in sent.body
    cache.delete(WORKER_ALERTED)
