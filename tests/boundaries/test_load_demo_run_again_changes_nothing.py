"""`manage.py load_demo` on a database that holds the demo already changes nothing and says so (a second full run
used to add again what its first builders made and stop at the boundary lines)."""

import io

import pytest
from django.core.management import call_command

from boundaries.models import AdminArea
from placenames.models import Place

pytestmark = pytest.mark.django_db


def test_a_second_run_changes_nothing_and_says_what_to_do():
    AdminArea.objects.create(code="330000", name="浙江省", level="province", source="demo")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "演示数据已存在，本次未做任何改动" in out.getvalue() and "--only" in out.getvalue()
    assert AdminArea.objects.count() == 1 and not Place.objects.exists()
    quiet = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=quiet)
    assert "跳过" in quiet.getvalue() and AdminArea.objects.count() == 1
