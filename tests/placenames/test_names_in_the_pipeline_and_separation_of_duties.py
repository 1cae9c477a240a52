"""The rule check also weighs names still in the pipeline, and the drafter of an application never reviews it."""

import pytest

from accounts.roles import Role
from gis.errors import PermissionDenied
from placenames.models import ApplicationState as S
from placenames.search import search_places
from placenames.workflow import REVIEW_ACTIONS
from tests.base import lucheng_officer, lucheng_reviewer, make_user
from tests.placenames.builders import draft, place, take, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(wenzhou_counties):
    return lucheng_officer(), lucheng_reviewer()


def test_a_homophone_of_a_name_in_consultation_is_a_warning_naming_that_application(people):
    officer, reviewer = people
    pending = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTATION)
    app = take(draft(officer, "旺海路"), officer, "submit")
    finding = app.findings.get(code="homophone")
    assert finding.severity == "warning" and "望海路" in finding.message
    assert finding.evidence["applications"][0]["application"] == pending.pk


def test_the_same_name_as_an_earlier_application_is_an_error_and_the_earlier_one_is_not_blocked(people):
    officer, reviewer = people
    first = take(draft(officer, "望海路"), officer, "submit")
    second = take(draft(officer, "望海路"), officer, "submit")
    assert second.findings.filter(code="duplicate_name", severity="error").exists()
    first = take(first, reviewer, "pass_check")  # re-runs the rules: the later application does not count
    assert first.state == S.CHECKED and not first.findings.exists()


def test_a_draft_or_a_rejected_application_does_not_hold_its_name(people):
    officer, reviewer = people
    draft(officer, "望海路")
    rejected = walk(draft(officer, "旺海路"), officer, reviewer, S.CHECKED)
    take(rejected, reviewer, "reject", reason="不予采用")
    app = take(draft(officer, "望海路"), officer, "submit")
    assert not app.findings.exists()


def test_the_reviewer_passes_or_returns_the_check_with_reasons_and_the_officer_cannot(people):
    officer, reviewer = people
    app = take(draft(officer, "望海路"), officer, "submit")
    with pytest.raises(PermissionDenied):
        take(app, officer, "pass_check")
    app = take(app, reviewer, "return_to_draft", reason="请补充命名理由")
    assert app.state == S.DRAFT and app.events.last().reason == "请补充命名理由"
    assert app.events.last().actor == reviewer


def test_a_user_who_drafted_an_application_may_not_review_or_decide_it(people):
    officer, reviewer = people
    both = make_user("both_roles", Role.OFFICER, "330302")
    both.groups.add(reviewer.groups.get())
    app = take(draft(both, "望海路"), both, "submit")
    for action in ("pass_check", "return_to_draft"):
        with pytest.raises(PermissionDenied) as refused:
            take(app, both, action, reason="x")
        assert refused.value.code == "drafter_may_not_review"
    take(app, reviewer, "return_to_draft", reason="请补充命名理由")
    app = walk(app, both, reviewer, S.CONSULTED)
    for action in ("approve", "reject"):
        with pytest.raises(PermissionDenied):
            take(app, both, action, reason="x", approving_authority="鹿城区人民政府")
    assert take(app, reviewer, "approve", approving_authority="鹿城区人民政府").state == S.APPROVED
    assert REVIEW_ACTIONS == {"pass_check", "return_to_draft", "approve", "reject"}


def test_one_character_finds_every_name_that_contains_it(people):
    for name in ("解放路", "人民路", "江滨大道", "路桥巷"):
        place(name)
    assert sorted(p.name for p in search_places("路")) == ["人民路", "解放路", "路桥巷"]
    assert [p.name for p in search_places("滨")] == ["江滨大道"]
