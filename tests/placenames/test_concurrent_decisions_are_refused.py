"""Two reviewers deciding the same application at once: the second, holding a stale version, is refused."""

import threading

import pytest
from django.db import connection

from gis.errors import Conflict
from placenames import services
from placenames.models import Application
from placenames.models import ApplicationState as S
from tests.base import city_reviewer, lucheng_officer, lucheng_reviewer
from tests.placenames.builders import draft, ensure_seed_data, walk


@pytest.mark.django_db
def test_a_decision_on_a_version_already_decided_is_refused(wenzhou_counties):
    officer, first, second = lucheng_officer(), lucheng_reviewer(), city_reviewer()
    app = walk(draft(officer, "望海路"), officer, first, S.CONSULTED)
    seen = app.version  # both reviewers opened the page at this version
    services.apply(first, app.pk, "approve", version=seen, data={"approving_authority": "鹿城区人民政府"})
    with pytest.raises(Conflict) as refused:
        services.apply(second, app.pk, "reject", version=seen, reason="不同意")
    assert refused.value.code == "stale_version"
    app.refresh_from_db()
    assert app.state == S.APPROVED
    assert app.events.filter(action__in=("approve", "reject")).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_leave_exactly_one(wenzhou_counties):
    ensure_seed_data()
    officer, first, second = lucheng_officer(), lucheng_reviewer(), city_reviewer()
    app = walk(draft(officer, "望海路"), officer, first, S.CONSULTED)
    seen = app.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user, action, data):
        try:
            barrier.wait()
            services.apply(user, app.pk, action, version=seen, reason="决定", data=data)
            outcomes.append(action)
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(first, "approve", {"approving_authority": "鹿城区人民政府"})),
               threading.Thread(target=decide, args=(second, "reject", {}))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("stale_version") == 1
    app = Application.objects.get(pk=app.pk)
    assert app.state in (S.APPROVED, S.REJECTED)
    assert app.events.filter(action__in=("approve", "reject")).count() == 1
