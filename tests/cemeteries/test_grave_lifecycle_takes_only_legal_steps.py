"""identified → checked → notified → in remediation → remediated → accepted → re-checked; a rebound reopens; every
other step is refused, and a protected historic grave is never remediated."""

import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from audit.models import Change
from cemeteries import services
from cemeteries.lifecycle import TRANSITIONS
from cemeteries.models import GraveState, PublicCemetery, RemediationMethod
from gis.errors import Conflict, IllegalTransition, InputError, PermissionDenied
from tests.base import lucheng_officer, ruian_officer
from tests.cemeteries.builders import LUCHENG, at, crew_member, grave_at, known_geography, png

S = GraveState


class LifecycleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        areas = known_geography()
        cls.officer, cls.ruian = lucheng_officer(), ruian_officer()
        cls.crew, cls.other_crew = crew_member("crew_a", LUCHENG), crew_member("crew_b", LUCHENG)
        cls.grave = grave_at(100, 100, cls.officer, owner_name="王五", owner_phone="13900000001")
        services.assign_crew(cls.grave, cls.officer, [cls.crew])
        cls.cemetery = PublicCemetery.objects.create(name="藤桥公墓", geom=at(500, 500), area=areas[LUCHENG],
                                                     capacity=100, free_plots=10)

    def fresh(self):
        self.grave.refresh_from_db()
        return self.grave

    def step(self, to_state, actor=None, **kw):
        grave = self.fresh()
        return services.advance(grave, actor or self.officer, to_state, version=grave.version, **kw)

    def walk_to_remediated(self):
        self.step(S.CHECKED, self.crew, remarks="on site")
        self.step(S.NOTIFIED, deadline=timezone.localdate() + dt.timedelta(days=20))
        self.step(S.IN_REMEDIATION, self.crew)
        return self.step(S.REMEDIATED, self.crew, method=RemediationMethod.RELOCATED, cemetery=self.cemetery)

    def test_the_whole_way_from_identified_to_re_checked_is_audited_step_by_step(self):
        grave = self.walk_to_remediated()
        assert grave.method == RemediationMethod.RELOCATED and grave.cemetery == self.cemetery
        assert PublicCemetery.objects.get(pk=self.cemetery.pk).free_plots == 9
        road = services.add_photo(grave, self.crew, png(), role="road")
        grave = self.step(S.ACCEPTED, photos=[road])
        assert grave.accepted_on == timezone.localdate() and grave.recheck_due_on > grave.accepted_on
        grave = services.recheck(grave, self.crew, version=grave.version, remarks="still green")
        assert grave.state == S.ACCEPTED and grave.rechecked_on == timezone.localdate()

        steps = list(grave.steps.values_list("from_state", "to_state", "actor__username"))
        assert steps == [("identified", "checked", "crew_a"), ("checked", "notified", "lucheng_officer"),
                         ("notified", "in_remediation", "crew_a"), ("in_remediation", "remediated", "crew_a"),
                         ("remediated", "accepted", "lucheng_officer"), ("accepted", "accepted", "crew_a")]
        assert grave.steps.get(to_state=S.ACCEPTED, from_state=S.REMEDIATED).photos.get() == road
        audited = Change.objects.for_object(grave).filter(action="transition")
        assert [(c.before["state"], c.after["state"]) for c in audited.order_by("at", "id")] == [
            (a, b) for a, b, _ in steps]

    def test_a_rebound_reopens_an_accepted_grave(self):
        grave = self.walk_to_remediated()
        services.add_photo(grave, self.crew, png(), role="road")
        self.step(S.ACCEPTED)
        grave = services.recheck(self.fresh(), self.crew, version=self.grave.version, holds=False,
                                 remarks="mound rebuilt")

        assert grave.state == S.REBOUNDED and grave.rebounds == 1 and grave.accepted_on is None
        assert services.legal_next(grave) == (S.CHECKED,)
        assert self.step(S.CHECKED, self.crew).method == ""

    def test_acceptance_needs_a_photo_from_the_road(self):
        self.walk_to_remediated()
        services.add_photo(self.fresh(), self.crew, png(), role="after")
        with pytest.raises(InputError) as refused:
            self.step(S.ACCEPTED)
        assert refused.value.code == "road_photo_required"

    def test_remediation_names_its_method(self):
        self.step(S.CHECKED)
        self.step(S.NOTIFIED)
        self.step(S.IN_REMEDIATION)
        with pytest.raises(InputError):
            self.step(S.REMEDIATED)
        with pytest.raises(InputError):
            self.step(S.REMEDIATED, method=RemediationMethod.SOIL_COVER, cemetery=self.cemetery)

    def test_every_step_not_in_the_table_is_refused_and_changes_nothing(self):
        for state in S.values:
            for target in S.values:
                if target in TRANSITIONS.get(state, ()):
                    continue
                self.grave.__class__.objects.filter(pk=self.grave.pk).update(state=state)
                version = self.fresh().version
                with pytest.raises(IllegalTransition):
                    self.step(target, method=RemediationMethod.DEEP_BURIAL)
                assert (self.fresh().state, self.grave.version) == (state, version)

    def test_a_protected_grave_is_checked_but_never_remediated(self):
        self.grave.__class__.objects.filter(pk=self.grave.pk).update(protected=True)
        self.step(S.CHECKED)
        with pytest.raises(IllegalTransition) as refused:
            self.step(S.NOTIFIED)
        assert refused.value.code == "protected_grave" and services.legal_next(self.fresh()) == ()

    def test_a_grave_in_remediation_cannot_be_declared_protected(self):
        self.walk_to_remediated()
        with pytest.raises(InputError):
            services.update_grave(self.fresh(), self.officer, {"protected": True}, version=self.grave.version)

    def test_only_officers_notify_and_accept_and_only_the_assigned_crew_works_in_the_field(self):
        with pytest.raises(PermissionDenied):
            self.step(S.CHECKED, self.other_crew)
        with pytest.raises(PermissionDenied):
            self.step(S.CHECKED, self.ruian)
        self.step(S.CHECKED, self.crew)
        with pytest.raises(PermissionDenied):
            self.step(S.NOTIFIED, self.crew)

    def test_a_step_made_on_a_stale_version_is_refused(self):
        grave = self.fresh()
        services.advance(grave, self.officer, S.CHECKED, version=grave.version)
        with pytest.raises(Conflict):
            services.advance(grave, self.officer, S.NOTIFIED, version=grave.version)
