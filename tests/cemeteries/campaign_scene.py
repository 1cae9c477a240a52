"""A four-month campaign half done, on the hand-made geography of tests.cemeteries.builders.

The expressway runs along y = 0 from x = -1,000 to 21,000 (band 200 m). The campaign (200 m) runs from 2026-08-01 to
2026-12-01 (122 days); "today" is 2026-10-01 (day 61, half way). Its 10 graves:

    藤桥镇 (鹿城区), 8 graves:  t0 remediated 08-10 · t1 remediated 08-20 and accepted 08-25 · t2 remediated 09-05 ·
        t3 accepted 09-01, rebounded 09-20 (not done) · t4 notified with a deadline of 09-15 (overdue) · t5 checked ·
        t6 identified (grade A) · t7 remediated 07-20, before the start
    塘下镇 (瑞安市), 2 graves: r0 remediated 09-10 and accepted 09-12 · r1 identified (grade A)

Done today: t0 t1 t2 t7 r0 = 5 of 10. Outside: a grave 500 m from the road, and a protected grave in the band.
Owners carry the name 张三丰 and the phone 13912345678, which must never leave the office.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.roles import Role
from cemeteries.campaigns import create_campaign
from cemeteries.models import Corridor, CorridorKind, Grave, GraveState, GraveStep
from cemeteries.tagging import retag_all
from tests.base import make_user
from tests.cemeteries.builders import NANTANG, SHANGAO, TANGXIA, TENGQIAO, at, known_geography, line

S = GraveState
START, DEADLINE, TODAY = dt.date(2026, 8, 1), dt.date(2026, 12, 1), dt.date(2026, 10, 1)
OWNER, PHONE = "张三丰", "13912345678"


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _step(grave, from_state, to_state, day):
    step = GraveStep.objects.create(grave=grave, from_state=from_state, to_state=to_state)
    GraveStep.objects.filter(pk=step.pk).update(at=_at(day))


def _history(grave, events):
    state = S.IDENTIFIED
    for to_state, day in events:
        _step(grave, state, to_state, day)
        state = to_state
    Grave.objects.filter(pk=grave.pk).update(state=state)


def build(*, password: str | None = None) -> dict:
    """The scene; only the browser test needs a real password (hashing one costs a second on a busy machine)."""
    areas = known_geography()
    road = Corridor.objects.create(name="甬台温高速", kind=CorridorKind.EXPRESSWAY, geom=line((-1000, 0), (21000, 0)))
    graves = {}

    def grave(key, x, y, area, township, grade="B", **extra):
        graves[key] = Grave.objects.create(geom=at(x, y), area=areas[area], township=areas[township], grade=grade,
                                           owner_name=OWNER, owner_phone=PHONE, **extra)
        return graves[key]

    for i in range(8):
        grave(f"t{i}", 100 * i, 50, SHANGAO, TENGQIAO, grade="A" if i == 6 else "B")
    grave("r0", 19000, -60, NANTANG, TANGXIA, grade="C")
    grave("r1", 19200, 80, NANTANG, TANGXIA, grade="A")
    grave("outside", 300, 500, SHANGAO, TENGQIAO)
    grave("protected", 400, 20, SHANGAO, TENGQIAO, protected=True)
    d = dt.date
    remediated = [(S.CHECKED, d(2026, 7, 1)), (S.NOTIFIED, d(2026, 7, 5)), (S.IN_REMEDIATION, d(2026, 7, 10))]
    _history(graves["t0"], remediated + [(S.REMEDIATED, d(2026, 8, 10))])
    _history(graves["t1"], remediated + [(S.REMEDIATED, d(2026, 8, 20)), (S.ACCEPTED, d(2026, 8, 25))])
    _history(graves["t2"], remediated + [(S.REMEDIATED, d(2026, 9, 5))])
    _history(graves["t3"], remediated + [(S.REMEDIATED, d(2026, 8, 28)), (S.ACCEPTED, d(2026, 9, 1)),
                                         (S.REBOUNDED, d(2026, 9, 20))])
    _history(graves["t4"], remediated[:2])
    Grave.objects.filter(pk=graves["t4"].pk).update(notice_deadline=d(2026, 9, 15))
    _history(graves["t5"], remediated[:1])
    _history(graves["t7"], remediated + [(S.REMEDIATED, d(2026, 7, 20))])
    _history(graves["r0"], remediated + [(S.REMEDIATED, d(2026, 9, 10)), (S.ACCEPTED, d(2026, 9, 12))])
    retag_all()
    for g in graves.values():
        g.refresh_from_db()
    city = make_user("city_officer", Role.OFFICER, "330300", password=password)
    campaign = create_campaign(city, name="东延线整治", corridor=road, band_m=200, area=areas["330300"],
                               starts_on=START, deadline=DEADLINE, source="test")
    return {"areas": areas, "road": road, "graves": graves, "campaign": campaign, "city": city,
            "lucheng": make_user("lucheng_officer", Role.OFFICER, "330302", password=None),
            "ruian": make_user("ruian_officer", Role.OFFICER, "330381", password=None),
            "crew": make_user("lucheng_crew", Role.FIELD_CREW, "330302", password=None)}
