"""Campaigns (整治行动): which graves a campaign holds, its progress against the deadline, the burn-down over time,
what is overdue, by township and by grade.

A grave counts as done for a campaign once remediated (remediated or accepted by the township); a rebound after
acceptance, or a remediation the township sent back, undoes it. Progress over time is read from the lifecycle steps
(GraveStep: from_state -> to_state, when), one grouped query: each step moves a grave into or out of "done".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.gis.measure import D
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import area_prefixes, require_area, scope
from audit.models import Action
from audit.services import record
from cemeteries.campaign_models import Campaign
from cemeteries.models import Corridor, Exposure, Grave, GraveState, GraveStep, notice_late, recheck_late
from gis.errors import InputError

DONE = (GraveState.REMEDIATED, GraveState.ACCEPTED)
CAMPAIGN_ROLES = (Role.OFFICER, Role.REVIEWER)


def graves_in_band(corridor: Corridor, band_m: int):
    """The remediable graves within ``band_m`` metres of the corridor's line (ST_DWithin in EPSG:4549)."""
    return Grave.objects.remediable().filter(geom_4549__dwithin=(corridor.geom_4549, D(m=band_m)))


@transaction.atomic
def create_campaign(actor, *, name: str, corridor: Corridor, band_m: int, area, starts_on: dt.date,
                    deadline: dt.date, target: int | None = None, note: str = "", source: str = "") -> Campaign:
    """A campaign over the graves in the band; its target defaults to all of them."""
    require_area(actor, area, roles=CAMPAIGN_ROLES)
    if deadline <= starts_on:
        raise InputError(_("The deadline must come after the start."), code="deadline_before_start",
                         where={"field": "deadline"})
    _check_period(starts_on, deadline)
    if band_m <= 0 or band_m > 5000:
        raise InputError(_("The band must be between 1 and 5000 metres."), code="bad_band", where={"field": "band_m"})
    graves = list(graves_in_band(corridor, band_m).values_list("pk", flat=True))
    campaign = Campaign.objects.create(name=name, corridor=corridor, band_m=band_m, area=area, starts_on=starts_on,
                                       deadline=deadline, target=len(graves) if target is None else target,
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None,
                                       note=note, source=source)
    campaign.graves.add(*graves)
    record(campaign, Action.CREATE, actor=actor)
    return campaign


# A campaign runs a season or a few years (the city's 青山白化 plan is three); a date outside these bounds is a typo
# (99999 typed for 2026, a pasted text), whose dashboard would count millions of days.
EARLIEST_START = dt.date(2000, 1, 1)
START_AHEAD_YEARS = 5
LONGEST_DAYS = 10 * 366


def _check_period(starts_on: dt.date, deadline: dt.date) -> None:
    latest = timezone.localdate().replace(year=timezone.localdate().year + START_AHEAD_YEARS, month=1, day=1)
    if not EARLIEST_START <= starts_on <= latest:
        raise InputError(_("The start must lie between %(earliest)s and %(latest)s.")
                         % {"earliest": EARLIEST_START.isoformat(), "latest": latest.isoformat()},
                         code="bad_start", where={"field": "starts_on"})
    if (deadline - starts_on).days > LONGEST_DAYS:
        raise InputError(_("A campaign runs at most ten years: the deadline must come before %(limit)s.")
                         % {"limit": (starts_on + dt.timedelta(days=LONGEST_DAYS)).isoformat()},
                         code="bad_deadline", where={"field": "deadline"})


def visible_campaigns(user):
    """Campaigns led by an area that contains, or lies within, one of the user's regions."""
    campaigns = Campaign.objects.select_related("corridor", "area")
    prefixes = area_prefixes(user)
    if prefixes is None:
        return campaigns
    if not prefixes:
        return campaigns.none()
    ids = [c.pk for c in campaigns if any(c.area.code12.startswith(p) or p.startswith(c.area.prefix)
                                          for p in prefixes)]
    return campaigns.filter(pk__in=ids)


def campaign_graves(campaign: Campaign, user, township_code: str | None = None):
    graves = scope(campaign.graves.all(), user, "area")
    if township_code:
        graves = graves.filter(township__code=township_code)
    return graves


@dataclass
class Progress:
    target: int
    total: int
    done: int
    accepted: int
    open: int
    by_state: list[tuple[str, int]]
    expected_by_now: int
    days_total: int
    days_left: int
    overdue_notices: int
    overdue_rechecks: int
    by_grade: list[dict] = field(default_factory=list)
    by_township: list[dict] = field(default_factory=list)

    @property
    def share_done(self) -> float:
        return self.done / self.target if self.target else 1.0

    @property
    def on_track(self) -> bool:
        return self.done >= self.expected_by_now


def _scaled_target(campaign: Campaign, total_in_scope: int, all_graves: int | None = None) -> int:
    """The campaign's target as it falls on the graves the user sees (a township's share of a city campaign)."""
    if all_graves is None:
        all_graves = campaign.graves.count()
    if not all_graves or total_in_scope == all_graves:
        return campaign.target
    return round(campaign.target * total_in_scope / all_graves)


@dataclass(frozen=True)
class Group:
    """How many of a campaign's graves (seen by a user) share a township, a state and a grade, and how many of them
    are overdue: one row of ``tally``."""

    township_code: str | None
    township_name: str | None
    state: str
    grade: str
    n: int
    notices: int  # notified or in remediation, the owner's deadline passed
    rechecks: int  # accepted, the re-check due date passed


@dataclass
class Tally:
    """A campaign's graves in a user's regions, counted once by township, state and grade (one grouped query); the
    dashboard's figures, townships and targets all read from it."""

    groups: list[Group]
    all_graves: int  # the campaign's graves in every region (a township's share of the target is scaled by it)

    def of(self, township_code: str | None) -> list[Group]:
        return [g for g in self.groups if not township_code or g.township_code == township_code]

    def townships(self) -> list[tuple[str, str]]:
        return sorted({(g.township_code, g.township_name) for g in self.groups if g.township_code})

    def total(self, township_code: str | None = None) -> int:
        return sum(g.n for g in self.of(township_code))


def tally(campaign: Campaign, user, today: dt.date | None = None) -> Tally:
    today = today or timezone.localdate()
    rows = (campaign_graves(campaign, user).values("township__code", "township__name", "state", "grade")
            .annotate(n=Count("pk"), notices=Count("pk", filter=notice_late(today)),
                      rechecks=Count("pk", filter=recheck_late(today)))
            .order_by())
    groups = [Group(r["township__code"], r["township__name"], r["state"], r["grade"], r["n"], r["notices"],
                    r["rechecks"]) for r in rows]
    seen = sum(g.n for g in groups)
    # the user's regions hold the whole campaign unless fewer graves are seen than it has
    everywhere = area_prefixes(user) is None
    return Tally(groups, seen if everywhere else campaign.graves.count())


def progress(campaign: Campaign, user, today: dt.date | None = None, township_code: str | None = None, *,
             counted: Tally | None = None) -> Progress:
    today = today or timezone.localdate()
    counted = counted or tally(campaign, user, today)
    groups = counted.of(township_code)
    total = sum(g.n for g in groups)
    done = sum(g.n for g in groups if g.state in DONE)
    accepted = sum(g.n for g in groups if g.state == GraveState.ACCEPTED)
    counts: dict[str, int] = {}
    for g in groups:
        counts[g.state] = counts.get(g.state, 0) + g.n
    by_state = [(str(label), counts.get(value, 0)) for value, label in GraveState.choices]
    target = _scaled_target(campaign, total, counted.all_graves)
    days_total = (campaign.deadline - campaign.starts_on).days
    elapsed = min(max((today - campaign.starts_on).days, 0), days_total)
    grades = {g: {"grade": g, "total": 0, "done": 0} for g in Exposure.values}
    townships: dict[str | None, dict] = {}
    for g in groups:
        grade = grades.setdefault(g.grade, {"grade": g.grade, "total": 0, "done": 0})
        grade["total"] += g.n
        grade["done"] += g.n if g.state in DONE else 0
        row = townships.setdefault(g.township_code, {
            "code": g.township_code or "", "name": g.township_name or _("(no township)"), "total": 0, "done": 0,
            "accepted": 0, "overdue": 0, "a_open": 0})
        row["total"] += g.n
        row["done"] += g.n if g.state in DONE else 0
        row["accepted"] += g.n if g.state == GraveState.ACCEPTED else 0
        row["overdue"] += g.notices + g.rechecks
        row["a_open"] += g.n if g.grade == Exposure.A and g.state not in DONE else 0
    rows = [townships[code] for code in sorted(townships, key=lambda c: (c is None, c or ""))]
    for row in rows:
        row["share"] = row["done"] / row["total"] if row["total"] else 0.0
    return Progress(target=target, total=total, done=done, accepted=accepted, open=total - done, by_state=by_state,
                    expected_by_now=round(target * elapsed / days_total) if days_total else target,
                    days_total=days_total, days_left=max((campaign.deadline - today).days, 0),
                    overdue_notices=sum(g.notices for g in groups), overdue_rechecks=sum(g.rechecks for g in groups),
                    by_grade=list(grades.values()), by_township=rows)


def _done_changes(graves) -> dict[dt.date, int]:
    """Per local day, the net number of graves that became done (SUM of +1 into DONE, -1 out of it)."""
    into = Q(to_state__in=DONE) & ~Q(from_state__in=DONE)
    out = Q(from_state__in=DONE) & ~Q(to_state__in=DONE)
    rows = (GraveStep.objects.filter(grave__in=graves.values("pk")).filter(into | out)
            .annotate(day=TruncDate("at")).values("day")
            .annotate(into=Count("pk", filter=into), out=Count("pk", filter=out)).order_by("day"))
    return {r["day"]: r["into"] - r["out"] for r in rows}


def burndown(campaign: Campaign, user, today: dt.date | None = None, township_code: str | None = None, *,
             counted: Tally | None = None) -> dict:
    """The burn-down by week from the start to the deadline: the ideal remaining (a straight line from the target
    to 0), and the actual remaining (target less graves done by the end of each week) up to today."""
    today = today or timezone.localdate()
    graves = campaign_graves(campaign, user, township_code)
    if counted is None:
        target = _scaled_target(campaign, graves.count())
    else:
        target = _scaled_target(campaign, counted.total(township_code), counted.all_graves)
    changes = _done_changes(graves)
    done_before = sum(n for day, n in changes.items() if day < campaign.starts_on)
    days_total = (campaign.deadline - campaign.starts_on).days
    ends = [campaign.starts_on + dt.timedelta(days=d) for d in range(0, days_total, 7)] + [campaign.deadline]
    day_changes = sorted((d, n) for d, n in changes.items() if d >= campaign.starts_on)

    def done_until(day: dt.date) -> int:
        return done_before + sum(n for d, n in day_changes if d <= day)

    labels, ideal, actual, shown_today = [], [], [], False
    for end in ends:
        labels.append(end.isoformat())
        ideal.append(round(target * (1 - (end - campaign.starts_on).days / days_total), 1))
        if end <= today:
            actual.append(max(target - done_until(end), 0))
        elif not shown_today:  # the week that holds today shows today's figure
            actual.append(max(target - done_until(today), 0))
            shown_today = True
        else:
            actual.append(None)
    return {"labels": labels, "ideal": ideal, "actual": actual, "target": target}


def township_choices(campaign: Campaign, user, counted: Tally | None = None) -> list[tuple[str, str]]:
    if counted is not None:
        return counted.townships()
    rows = (campaign_graves(campaign, user).exclude(township=None).values_list("township__code", "township__name")
            .distinct().order_by("township__code"))
    return list(rows)


def done_on(campaign: Campaign) -> int:
    """How many of the campaign's graves are done now (for lists)."""
    return campaign.graves.filter(state__in=DONE).count()


def weekly_totals(campaigns) -> list[dict]:
    """For the city report: each campaign's totals over all its graves (no scoping: the report is the city's)."""
    out = []
    for c in campaigns:
        agg = c.graves.aggregate(total=Count("pk"), done=Count("pk", filter=Q(state__in=DONE)),
                                 tombs=Sum("tomb_count"))
        out.append({"campaign": c, **agg})
    return out
