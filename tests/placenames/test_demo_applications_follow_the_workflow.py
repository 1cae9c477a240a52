"""Every demo application obeys the workflow's own rules: its steps in order on their days, its dates in order
(公示 starts before it ends and ends before the decision), and the drafter never reviews it."""

import datetime as dt

import pytest
from django.utils import timezone

from boundaries.demo import DemoContext
from placenames import services, workflow
from placenames.demo import DEMO_APPLICANT, build_applications
from placenames.models import Application, ApplicationState
from tests.base import lucheng_officer, lucheng_reviewer
from tests.placenames.builders import ensure_seed_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(wenzhou_counties):
    ensure_seed_data()
    lucheng_officer(), lucheng_reviewer()
    build_applications(DemoContext(scale=0.05, seed=330300, log=lambda message: None))
    return list(Application.objects.filter(applicant=DEMO_APPLICANT).order_by("pk"))


def _day(moment) -> dt.date:
    return timezone.localtime(moment).date()


def test_every_demo_application_follows_the_workflow_in_its_steps_people_and_dates(demo):
    # One test for both checks: building the demo is most of its time.
    _takes_legal_steps_in_order_by_the_right_people(demo)
    _has_its_dates_in_the_workflows_order(demo)


def _takes_legal_steps_in_order_by_the_right_people(demo):
    assert len(demo) == 3
    for app in demo:
        events = list(app.events.order_by("at", "id"))
        state = ApplicationState.DRAFT
        for event in events:
            step = workflow.transition(event.action, state)  # raises if the step is not allowed from there
            assert (event.from_state, event.to_state) == (state, step.target), app
            assert event.actor.groups.filter(name__in=step.roles).exists(), (app, event.action)
            if event.action in workflow.REVIEW_ACTIONS:
                assert event.actor != app.created_by, (app, event.action)
            state = event.to_state
        assert state == app.state
        days = [_day(e.at) for e in events]
        assert days == sorted(days) and len(set(days)) == len(days), app
        assert _day(app.created_at) < days[0]


def _has_its_dates_in_the_workflows_order(demo):
    today = services.today()
    for app in demo:
        on = {e.action: _day(e.at) for e in app.events.all()}
        if app.consultation_starts_on:
            assert on["open_consultation"] == app.consultation_starts_on
            assert app.consultation_starts_on <= app.consultation_ends_on
        if "close_consultation" in on:
            assert on["close_consultation"] > app.consultation_ends_on
        if app.approved_on:
            assert app.approved_on == on["approve"] <= today
            assert app.approved_on > app.consultation_ends_on
            assert app.filing_due_on > app.approved_on and app.announcement_due_on > app.approved_on
            assert app.place.names.get().valid_from == app.approved_on
    states = {app.proposed_name: app.state for app in demo}
    assert states == {"观澜路": ApplicationState.APPROVED, "望海路": ApplicationState.CONSULTATION,
                      "介放路": ApplicationState.SUBMITTED}
    approved = next(app for app in demo if app.approved_on)
    assert approved.filing_due_on < today  # the demo's overdue filing
