"""The weekly city report on grave remediation (青山白化治理周报), as XLSX and PDF through the project's document
writers (core.documents: formula-safe cells, WeasyPrint with Noto CJK).

The report leaves the office (it goes to the city government and the townships): it holds counts, townships, grades
and grave ids, never an owner's name or phone. An officer downloads it for their regions at any time
(/cemeteries/weekly.xlsx|pdf); the worker also makes the whole city's report once each week is over
(``archive_last_week``, a chore in cemeteries.jobs) and keeps it (``WeeklyReport``), for the city's officers to
download as it stood.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cemeteries import campaigns as campaign_service
from cemeteries.campaign_models import GraveSight
from cemeteries.models import Grave, GraveState, GraveStep
from cemeteries.sights import TO_WORK_ON
from core.documents import Document, Table

WORK_ORDER_ROWS = 30


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _register_facts(graves, since: dt.datetime) -> list[tuple[str, str]]:
    by_state = dict(graves.values_list("state").annotate(n=Count("pk")).order_by())
    steps = GraveStep.objects.filter(grave__in=graves.values("pk"), at__gte=since)
    week = steps.aggregate(done=Count("pk", filter=Q(to_state__in=campaign_service.DONE)
                                      & ~Q(from_state__in=campaign_service.DONE)),
                           rebounds=Count("pk", filter=Q(to_state=GraveState.REBOUNDED)))
    facts = [(_("Graves in the register"), str(sum(by_state.values())))]
    facts += [(str(label), str(by_state.get(value, 0))) for value, label in GraveState.choices]
    facts += [(_("Remediated this week"), str(week["done"])), (_("Rebounds this week"), str(week["rebounds"])),
              (_("Protected historic graves (listed apart)"), str(graves.filter(protected=True).count()))]
    return facts


def _campaign_table(rows, today) -> Table:
    headers = [pgettext("remediation", "Campaign"), _("Corridor"), _("Band (m)"), _("Deadline"), _("Days left"), _("Target"),
               _("Graves"), _("Remediated"), _("Share of target"), _("Expected by now"), _("On track")]
    body = []
    for campaign, p in rows:
        body.append([campaign.name, campaign.corridor.name, campaign.band_m, campaign.deadline.isoformat(),
                     p.days_left, p.target, p.total, p.done, _pct(p.done, p.target), p.expected_by_now,
                     _("yes") if p.on_track else _("no")])
    return Table(_("Campaigns"), headers, body)


def _township_table(rows) -> Table:
    headers = [pgettext("remediation", "Campaign"), _("Township"), _("Graves"), _("Remediated"), _("Share"), _("Accepted"),
               _("Overdue"), _("Grade A still open")]
    body = [[campaign.name, t["name"], t["total"], t["done"], _pct(t["done"], t["total"]), t["accepted"],
             t["overdue"], t["a_open"]] for campaign, p in rows for t in p.by_township]
    return Table(_("By township"), headers, body)


def _work_order_table(graves) -> Table:
    best = (GraveSight.objects.filter(grave__in=graves.values("pk")).order_by("-observers")
            .select_related("grave__township", "corridor")[:WORK_ORDER_ROWS * 3])
    seen, body = set(), []
    for sight in best:
        g = sight.grave
        if g.pk in seen or g.state not in TO_WORK_ON or g.protected:
            continue
        seen.add(g.pk)
        body.append([g.short_id, g.township.name if g.township else "", g.get_grade_display(),
                     sight.corridor.name, sight.observers, g.get_state_display()])
        if len(body) == WORK_ORDER_ROWS:
            break
    headers = [_("Grave"), _("Township"), _("Grade"), _("Corridor"), _("Observers that see it"), _("State")]
    return Table(_("Most visible open graves"), headers, body)


def weekly_report(user, today: dt.date | None = None) -> Document:
    """The week ending ``today`` over the graves and campaigns the user's regions hold."""
    from cemeteries.access import visible_graves

    today = today or timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min))
    graves = visible_graves(user, Grave.objects.all())
    running = [c for c in campaign_service.visible_campaigns(user)
               if c.starts_on <= today <= c.deadline + dt.timedelta(days=30)]
    rows = [(c, campaign_service.progress(c, user, today)) for c in running]
    return Document(
        title=_("Weekly report on scattered-grave remediation"),
        subtitle=_("Week of %(start)s to %(end)s") % {"start": (today - dt.timedelta(days=6)).isoformat(),
                                                     "end": today.isoformat()},
        facts=_register_facts(graves, since),
        tables=[_campaign_table(rows, today), _township_table(rows), _work_order_table(graves)],
        landscape=True)


class WholeCity:
    """The reader of the city's own report, which the worker makes: every region (accounts.scoping reads a superuser
    as acting everywhere); nobody signs in as it."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None
    username = ""


def week_ending(day: dt.date) -> dt.date:
    """The Sunday that ends the week holding ``day`` on or before it (``day`` itself on a Sunday)."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def archive_last_week(today: dt.date | None = None):
    """Makes and keeps the city's report of the last week that is over (ending on the last Sunday before
    ``today``), unless it was made already; returns the new WeeklyReport or None."""
    from django.core.files.base import ContentFile

    from cemeteries.campaign_models import WeeklyReport
    from core.documents import to_pdf, to_xlsx

    today = today or timezone.localdate()
    week_end = week_ending(today - dt.timedelta(days=1))
    if WeeklyReport.objects.filter(week_end=week_end).exists() or not Grave.objects.exists():
        return None  # made already, or a register with nothing to report yet
    doc = weekly_report(WholeCity(), week_end)
    name = f"graves-weekly-{week_end:%Y%m%d}"
    report = WeeklyReport(week_end=week_end)
    report.xlsx.save(f"{name}.xlsx", ContentFile(to_xlsx(doc)), save=False)
    report.pdf.save(f"{name}.pdf", ContentFile(to_pdf(doc)), save=False)
    report.save()
    return report
