"""Every legal transition moves the application and records who, when, why; every illegal one is refused."""

import pytest

from audit.models import Change
from gis.errors import Conflict, IllegalTransition, InputError, PermissionDenied
from placenames import consultation, services
from placenames.models import Application, PlaceStatus
from placenames.models import ApplicationState as S
from placenames.workflow import TRANSITIONS
from tests.base import lucheng_officer, lucheng_reviewer
from tests.placenames.builders import PATH, draft, place, take, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(wenzhou_counties):
    return lucheng_officer(), lucheng_reviewer()


def test_one_name_walks_from_draft_to_announced_with_an_event_per_step(people):
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.ANNOUNCED)
    events = list(app.events.order_by("at", "id"))
    assert [e.action for e in events] == [action for action, _who, _data in PATH]
    assert [e.to_state for e in events][-1] == S.ANNOUNCED
    assert events[5].actor == reviewer and events[5].action == "approve"
    assert all(e.at is not None for e in events)
    assert app.place.status == PlaceStatus.IN_USE and app.place.name == "望海路"
    assert Change.objects.filter(object_id=str(app.pk), action="transition").count() == len(PATH)


@pytest.mark.parametrize("action, start", [
    (t.action, source) for t in TRANSITIONS.values() for source in t.sources
    if source not in (S.DRAFT,) or t.action == "submit"])
def test_each_legal_transition_reaches_its_target(people, action, start):
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, start)
    data = dict(next((d for a, _w, d in PATH if a == action), {}))
    data.setdefault("reason", "测试理由")
    if action == "close_consultation":
        Application.objects.filter(pk=app.pk).update(consultation_ends_on=services.today().replace(year=2000))
    who = reviewer if TRANSITIONS[action].roles == ("reviewer",) else officer
    app = take(app, who, action, **data)
    assert app.state == TRANSITIONS[action].target
    assert app.events.last().from_state == start


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_an_illegal_transition_is_refused_from_every_other_state_and_changes_nothing(people, action):
    officer, reviewer = people
    app = draft(officer, "望海路")
    for state in [s for s in S.values if s not in TRANSITIONS[action].sources]:
        Application.objects.filter(pk=app.pk).update(state=state)  # only the state matters to the table
        app.refresh_from_db()
        version, events = app.version, app.events.count()
        with pytest.raises(IllegalTransition):
            take(app, reviewer if TRANSITIONS[action].roles == ("reviewer",) else officer, action, reason="x",
                 expert_opinion="x", approving_authority="x", filed_with="x", filing_reference="x",
                 announcement_reference="x")
        app.refresh_from_db()
        assert (app.state, app.version, app.events.count()) == (state, version, events), state


def test_an_unknown_action_is_refused(people):
    officer, _ = people
    app = draft(officer)
    with pytest.raises(IllegalTransition):
        take(app, officer, "teleport")


def test_an_officer_cannot_approve(people):
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTED)
    with pytest.raises(PermissionDenied) as refused:
        take(app, officer, "approve", approving_authority="鹿城区人民政府")
    assert refused.value.code == "role_required"


def test_a_reviewer_cannot_submit(people):
    officer, reviewer = people
    with pytest.raises(PermissionDenied):
        take(draft(officer), reviewer, "submit")


def test_a_rejection_needs_reasons_and_keeps_them(people):
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTED)
    with pytest.raises(InputError) as missing:
        take(app, reviewer, "reject")
    assert missing.value.where["fields"] == ["reason"]
    app = take(app, reviewer, "reject", reason="与规划道路名称体系不符")
    assert app.state == S.REJECTED
    assert app.decision_reason == "与规划道路名称体系不符"
    assert app.events.last().reason == "与规划道路名称体系不符"


def test_an_error_finding_blocks_the_rule_check(people):
    officer, reviewer = people
    place("解放路")
    app = take(draft(officer, "解放路"), officer, "submit")
    assert app.findings.filter(code="duplicate_name", severity="error").exists()
    with pytest.raises(InputError) as blocked:
        take(app, reviewer, "pass_check")
    assert blocked.value.code == "rule_errors"
    app.refresh_from_db()
    assert app.state == S.SUBMITTED


def test_a_warning_needs_a_written_justification_to_pass_the_check(people):
    officer, reviewer = people
    place("解放路")
    app = take(draft(officer, "介放路"), officer, "submit")
    warning = app.findings.get()
    assert (warning.code, warning.severity) == ("homophone", "warning")
    with pytest.raises(InputError) as blocked:
        take(app, reviewer, "pass_check")
    assert blocked.value.code == "justification_required"
    app.refresh_from_db()
    services.justify(officer, app.pk, warning.pk, version=app.version, text="介放为历史村名，群众习称。")
    app = take(app, reviewer, "pass_check")
    assert app.state == S.CHECKED
    assert app.findings.get().justification == "介放为历史村名，群众习称。"


def test_an_error_cannot_be_justified_away(people):
    officer, _ = people
    place("解放路")
    app = take(draft(officer, "解放路"), officer, "submit")
    with pytest.raises(InputError):
        services.justify(officer, app.pk, app.findings.get().pk, version=app.version, text="理由")


def test_consultation_cannot_close_before_it_ends(people):
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTATION)
    assert (app.consultation_ends_on - app.consultation_starts_on).days == 6  # 7 days, both ends included
    with pytest.raises(Conflict) as running:
        take(app, officer, "close_consultation")
    assert running.value.code == "consultation_running"


def test_consultation_cannot_close_with_an_unanswered_objection(people):
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTATION)
    objection = consultation.submit_objection(app.public_token, text="该路名与附近小区重名。", name="张三",
                                          contact="13800000000")
    Application.objects.filter(pk=app.pk).update(consultation_ends_on=services.today().replace(year=2000))
    with pytest.raises(Conflict) as unanswered:
        take(app, officer, "close_consultation")
    assert unanswered.value.code == "objections_unanswered"
    consultation.answer_objection(officer, app.pk, objection.pk, answer="经核实，附近小区名为望海苑，不重名。")
    assert take(app, officer, "close_consultation").state == S.CONSULTED


def test_approval_sets_filing_and_announcement_due_dates(people, settings):
    settings.PLACENAMES_FILING_DAYS = 10
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.APPROVED)
    assert (app.filing_due_on - app.approved_on).days == 10
    assert (app.announcement_due_on - app.approved_on).days == 15
    assert app.place.status == PlaceStatus.PROPOSED


def test_an_objection_s_name_or_contact_longer_than_kept_is_refused_in_words_not_cut(people, client):
    """Before, a citizen's name past 60 characters and a contact past 100 were cut without a word."""
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTATION)
    for name, contact, said in (("张" * 61, "", "您的姓名超过 60 个字符"), ("张三", "1" * 101, "联系方式超过 100 个字符")):
        with pytest.raises(InputError) as refused:
            consultation.submit_objection(app.public_token, text="重名。", name=name, contact=contact)
        assert refused.value.code == "too_long" and said in str(refused.value)
    page = client.post(f"/placenames/public/{app.public_token}/", {"text": "重名。", "name": "张" * 61})
    assert "最多 60 个字符，现有 61 个" in page.content.decode()  # the form's own words, not Django's "变量"
    assert not app.objections.exists()


def test_a_second_answer_to_an_objection_is_refused_and_the_first_stands(people):
    """Two officers answering the same objection from pages drawn before either answer: the second was saved over
    the first without a word."""
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTATION)
    objection = consultation.submit_objection(app.public_token, text="重名。", name="张三", contact="")
    consultation.answer_objection(officer, app.pk, objection.pk, answer="不重名。")
    with pytest.raises(Conflict) as second:
        consultation.answer_objection(officer, app.pk, objection.pk, answer="另一个答复。")
    assert second.value.code == "already_answered" and "已答复此异议" in str(second.value)
    objection.refresh_from_db()
    assert objection.answer == "不重名。"


@pytest.mark.parametrize(("until", "action", "field", "ready"), [
    (S.CONSULTED, "approve", "approving_authority", {}),
    (S.CONSULTED, "approve", "approval_reference", {"approving_authority": "鹿城区人民政府"}),
    (S.APPROVED, "file", "filed_with", {"filing_reference": "温民备〔2026〕1号"}),
    (S.APPROVED, "file", "filing_reference", {"filed_with": "温州市民政局"}),
    (S.FILED, "announce", "announcement_reference", {}),
])
def test_a_step_s_text_longer_than_kept_is_refused_on_the_page_and_changes_nothing(people, client, until, action,
                                                                                   field, ready):
    """Before: a server error (the database refused the 101st character)."""
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, until)
    who = reviewer if action == "approve" else officer
    client.force_login(who)
    page = client.post(f"/placenames/applications/{app.pk}/act/{action}/",
                       {"version": app.version, field: "文" * 101, **ready}, follow=True)
    assert page.status_code == 400 and "超过 100 个字符" in page.content.decode()
    assert f'name="{field}" value="{"文" * 101}"' in page.content.decode()  # the form as it was sent
    app.refresh_from_db()
    assert app.state == until and getattr(app, field) == ""


@pytest.mark.parametrize("days", ["366", str(10**22)])
def test_a_consultation_of_more_than_a_year_is_refused_in_words(people, client, days):
    """Before: 10^22 days was a server error (a date past the year 9999)."""
    officer, reviewer = people
    app = walk(draft(officer, "望海路"), officer, reviewer, S.REVIEWED)
    client.force_login(officer)
    page = client.post(f"/placenames/applications/{app.pk}/act/open_consultation/",
                       {"version": app.version, "consultation_days": days}, follow=True)
    assert page.status_code == 400 and "公示天数最多为 365 天" in page.content.decode()
    assert f'name="consultation_days" value="{days}" min="1" max="365"' in page.content.decode()  # checked before sent
    app.refresh_from_db()
    assert app.state == S.REVIEWED
    assert take(app, officer, "open_consultation", consultation_days=365).consultation_ends_on is not None
