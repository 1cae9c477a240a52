"""乡村著名: rural names collected into a campaign and put onto Amap and Baidu, each name's state per platform, the
platforms' feedback files, and the per-county dashboard against the target.

A name's state towards a platform: to send -> exported (in a file sent to the platform) -> accepted (上图) or
refused with the platform's reason -> corrected and sent again (resent, in the next file) -> accepted or refused.
Applying a feedback file sets each named record to the state the file gives; a record already there is left
alone, so a file applied twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import area_prefixes, has_role, scope
from audit.models import Action
from audit.services import record
from boundaries.importing import decode
from boundaries.models import AdminArea
from core import tabular
from core.params import within
from gis.errors import Conflict, InputError, NotFound, PermissionDenied
from gis.spreadsheets import csv_row
from placenames.models import (
    Campaign,
    CampaignName,
    Place,
    Platform,
    PlatformEvent,
    PlatformState,
    PlatformSubmission,
)

P = PlatformState
SENDABLE = (P.TO_SEND, P.RESENT)
# What the platforms write back (placenames/SOURCES.md: the review words of Baidu's and Amap's point submission are
# public; the file's layout is not, so the headers below are the likely ones, our own export's among them).
ACCEPTED_WORDS = {"accepted", "accept", "ok", "pass", "passed", "online", "通过", "已通过", "审核通过", "通过审核", "上图",
                  "已上图", "上线", "已上线", "采纳", "已采纳", "发布", "已发布", "生效", "已生效", "成功"}
REFUSED_WORDS = {"refused", "refuse", "rejected", "reject", "fail", "failed", "驳回", "已驳回", "不通过", "未通过",
                 "审核不通过", "审核未通过", "未采纳", "不予采纳", "拒绝", "已拒绝", "退回", "已退回", "失败"}
PENDING_WORDS = {"pending", "processing", "审核中", "待审核", "处理中", "待处理", "已提交", "排队中"}
ID_HEADERS = ("编号", "id", "数据编号", "自定义编号", "外部编号", "原编号", "记录编号", "数据id")
NAME_HEADERS = ("名称", "标准名称", "地名", "地名名称", "poi名称", "name")
STATE_HEADERS = ("状态", "审核状态", "审核结果", "审核情况", "结果", "上图状态", "上图结果", "上线状态", "处理结果", "处理状态",
                 "处理情况", "反馈结果", "status", "state")
REASON_HEADERS = ("原因", "驳回原因", "驳回理由", "不通过原因", "不通过理由", "未通过原因", "失败原因", "拒绝原因", "审核意见",
                  "审核说明", "处理意见", "反馈意见", "问题描述", "reason", "备注")
PENDING_STATE = "pending"  # not a PlatformState: the row changes nothing
FEEDBACK_MAX_COLUMNS = 60
_REASON_AFTER = re.compile(r"\s*[:：（(，,；;]\s*")
MAX_FEEDBACK_BYTES = 20 << 20


def _require_officer(user) -> None:
    if not has_role(user, Role.OFFICER):
        raise PermissionDenied(_("Campaigns are run by officers."), code="role_required")


def submissions(user, campaign: Campaign):
    _require_officer(user)
    rows = PlatformSubmission.objects.filter(entry__campaign=campaign).select_related("entry__place",
                                                                                       "entry__place__area")
    return scope(rows, user, "entry__place__area")


@transaction.atomic
def add_names(campaign: Campaign, places, collected_by: str) -> int:
    """Puts places into the campaign (once each), to be sent to every platform; returns how many were new."""
    added = 0
    for place in places:
        entry, created = CampaignName.objects.get_or_create(campaign=campaign, place=place,
                                                            defaults={"collected_by": collected_by})
        if created:
            added += 1
            PlatformSubmission.objects.bulk_create(
                [PlatformSubmission(entry=entry, platform=p) for p in Platform.values])
    return added


def _move(sub: PlatformSubmission, state: str, *, reason: str = "", source: str = "", actor=None) -> bool:
    if sub.state == state and sub.reason == reason:
        return False
    PlatformEvent.objects.create(submission=sub, from_state=sub.state, to_state=state, reason=reason,
                                 source=source[:200], actor=actor)
    sub.state, sub.reason = state, reason
    sub.save(update_fields=["state", "reason", "updated_at"])
    return True


EXPORT_HEADER = ("编号", "名称", "地址", "经度", "纬度", "坐标系", "汉语拼音", "类别", "重新提交")


@transaction.atomic
def export(user, campaign: Campaign, platform: str) -> str:
    """The CSV of the names to send to ``platform`` (new and corrected ones), which become exported (or stay
    resent). Coordinates are the platform's own (GCJ-02 for Amap, BD-09 for Baidu)."""
    from gis.coords import wgs84_to_bd09, wgs84_to_gcj02

    if platform not in Platform.values:
        raise InputError(_("Unknown platform."), where={"field": "platform"})
    convert, frame = (wgs84_to_gcj02, "gcj02") if platform == Platform.AMAP else (wgs84_to_bd09, "bd09")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    rows = submissions(user, campaign).filter(platform=platform, state__in=SENDABLE).select_for_update(of=("self",))
    for sub in rows.order_by("entry_id"):
        place = sub.entry.place
        point = place.geom.point_on_surface
        lon, lat = convert(point.x, point.y)
        writer.writerow(csv_row([sub.entry_id, place.name, place.area.full_name, f"{float(lon):.6f}",
                                 f"{float(lat):.6f}", frame, place.pinyin, place.kind.name,
                                 "是" if sub.state == P.RESENT else ""]))
        if sub.state == P.TO_SEND:
            _move(sub, P.EXPORTED, source=_("export"), actor=user)
    return out.getvalue()


@dataclass
class FeedbackResult:
    changed: int = 0
    unchanged: int = 0
    unknown: list | None = None  # (line, id or name, state) of rows naming no record of the campaign, or no known state
    pending: int = 0  # rows the platform still reviews: their names are left as they are


def _column(header: list[str], names) -> int | None:
    for i, h in enumerate(header):
        if unicodedata.normalize("NFKC", h).strip().replace("\ufeff", "").lower() in names:
            return i
    return None


def _cell(values: list[str], index: int | None) -> str:
    return values[index].strip() if index is not None and index < len(values) else ""


def _feedback_rows(data: bytes, file_name: str) -> list[list[str]]:
    """The file's rows as text: an XLSX's first sheet (its zip signature, whatever the name), else CSV in UTF-8 or
    GBK."""
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        label = file_name or "XLSX"
        tabular.check_xlsx_archive(io.BytesIO(data), label)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [[tabular.cell(v) for v in values] for values in
                    book.worksheets[0].iter_rows(values_only=True, max_col=FEEDBACK_MAX_COLUMNS)]
            book.close()
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            raise InputError(_("%(file)s cannot be read as XLSX.") % {"file": label}, code="unreadable_file") from exc
        return rows
    text, _note = decode(data)
    return list(csv.reader(io.StringIO(text)))


def _verdict(word: str) -> tuple[str | None, str]:
    """(state, reason written after the word) of a state cell: 通过, 驳回：名称不规范, 审核未通过(坐标偏差) ...; the
    state is PENDING_STATE while the platform still reviews, None for a word we do not know."""
    head, *rest = _REASON_AFTER.split(word.strip(), maxsplit=1)
    head = unicodedata.normalize("NFKC", head).lower()
    tail = rest[0].rstrip("）)") if rest else ""
    if head in ACCEPTED_WORDS:
        return P.ACCEPTED, ""
    if head in REFUSED_WORDS:
        return P.REFUSED, tail
    if head in PENDING_WORDS:
        return PENDING_STATE, ""
    return None, ""


@transaction.atomic
def apply_feedback(user, campaign: Campaign, platform: str, data: bytes, *, file_name: str = "") -> FeedbackResult:
    """Applies a platform's feedback file (CSV or XLSX: 编号 or 名称, 状态, 原因): accepted, or refused with the reason;
    a row still under review leaves its name as it is. A row without our 编号 is matched by the name sent, when only one
    name of the campaign sent to that platform bears it."""
    if platform not in Platform.values:
        raise InputError(_("Unknown platform."), where={"field": "platform"})
    if len(data) > MAX_FEEDBACK_BYTES:
        raise InputError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FEEDBACK_BYTES >> 20}, code="too_large")
    rows = [r for r in _feedback_rows(data, file_name) if any(v.strip() for v in r)]
    if not rows:
        raise InputError(_("The feedback file is empty."), code="empty_file")
    header = rows[0]
    id_col, name_col, state_col, reason_col = (_column(header, ID_HEADERS), _column(header, NAME_HEADERS),
                                               _column(header, STATE_HEADERS), _column(header, REASON_HEADERS))
    if (id_col is None and name_col is None) or state_col is None:
        raise InputError(_("The feedback file needs an id column and a state column."), code="missing_columns")
    subs = {str(s.entry_id): s for s in submissions(user, campaign).filter(platform=platform)
            .select_related("entry__place").select_for_update(of=("self",))}
    by_name = defaultdict(list)
    for sub in subs.values():
        by_name[sub.entry.place.name].append(sub)
    result = FeedbackResult(unknown=[])
    for line, values in enumerate(rows[1:], start=2):
        key, name, word, why = (_cell(values, i) for i in (id_col, name_col, state_col, reason_col))
        sub = subs.get(key) if key else (by_name[name][0] if len(by_name.get(name, ())) == 1 else None)
        state, said = _verdict(word)
        if sub is None or state is None:
            result.unknown.append((line, (key or name)[:40], word[:20]))
            continue
        if state == PENDING_STATE:
            result.pending += 1
            continue
        reason = (why or said) if state == P.REFUSED else ""  # the platform's words, whole
        if _move(sub, state, reason=reason, source=file_name or _("feedback file"), actor=user):
            result.changed += 1
        else:
            result.unchanged += 1
    return result


@transaction.atomic
def refuse(user, sub_pk: int, reason: str) -> PlatformSubmission:
    """A refusal typed in by an officer (the platform said so by mail or on its console)."""
    sub = _submission(user, sub_pk)
    if sub.state not in (P.EXPORTED, P.RESENT, P.ACCEPTED):
        raise Conflict(_("Only a name sent to the platform can be refused."), code="wrong_state")
    if not reason.strip():
        raise InputError(_("Give the platform's reason."), code="missing_value", where={"field": "reason"})
    _move(sub, P.REFUSED, reason=within(reason, 500, _("The platform's reason"), "reason"), source=_("typed"),
          actor=user)
    return sub


@transaction.atomic
def resend(user, sub_pk: int, *, name: str = "", note: str = "") -> PlatformSubmission:
    """A refused name, corrected (optionally its name), goes into the next file again."""
    sub = _submission(user, sub_pk)
    if sub.state != P.REFUSED:
        raise Conflict(_("Only a refused name is corrected and sent again."), code="wrong_state")
    if name.strip() and name.strip() != sub.entry.place.name:
        from placenames import checking

        checking._rename_in_place(sub.entry.place, name.strip())
        sub.entry.place.save()
    _move(sub, P.RESENT, reason=sub.reason, source=within(note, 200, _("The note"), "note") or _("corrected"),
          actor=user)
    return sub


def _submission(user, sub_pk) -> PlatformSubmission:
    _require_officer(user)
    sub = (PlatformSubmission.objects.select_for_update(of=("self",)).select_related("entry__place__area")
           .filter(pk=sub_pk).first())
    if sub is None or not (area_prefixes(user) is None
                           or sub.entry.place.area.code12.startswith(area_prefixes(user))):
        raise NotFound(_("No such name in the campaign."), code="not_found")
    return sub


@dataclass
class CountyRow:
    code: str
    name: str
    target: int
    collected: int
    accepted_amap: int
    accepted_baidu: int
    accepted_both: int
    refused: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.accepted_both / self.target)) if self.target else 0


def dashboard(user, campaign: Campaign) -> list[CountyRow]:
    """Per county: names collected, accepted by each platform and by both, refused, against the county's target."""
    _require_officer(user)
    collected: dict[str, set] = defaultdict(set)
    accepted: dict[str, dict] = defaultdict(lambda: defaultdict(set))  # county -> entry -> platforms
    refused: dict[str, int] = defaultdict(int)
    for r in submissions(user, campaign).values("entry_id", "entry__place__area__code12", "platform", "state"):
        county = r["entry__place__area__code12"][:6]
        collected[county].add(r["entry_id"])
        if r["state"] == P.ACCEPTED:
            accepted[county][r["entry_id"]].add(r["platform"])
        elif r["state"] == P.REFUSED:
            refused[county] += 1
    names = dict(AdminArea.objects.filter(level="county").values_list("code", "name"))
    targets = campaign.county_targets or {}
    prefixes = area_prefixes(user)
    codes = sorted(set(collected) | set(targets))
    if prefixes is not None:
        codes = [c for c in codes if any(p.startswith(c) or c.startswith(p) for p in prefixes)]
    rows = []
    for c in codes:
        by_entry = accepted[c].values()
        rows.append(CountyRow(code=c, name=names.get(c, c), target=int(targets.get(c, 0)),
                              collected=len(collected[c]),
                              accepted_amap=sum(Platform.AMAP in p for p in by_entry),
                              accepted_baidu=sum(Platform.BAIDU in p for p in by_entry),
                              accepted_both=sum(len(p) == len(Platform.values) for p in by_entry),
                              refused=refused[c]))
    return rows


MIN_YEAR, MAX_YEAR = 2000, 2100


def counties_for(user):
    """The counties an officer may give a campaign a target in: those of the officer's regions."""
    counties = AdminArea.objects.filter(level="county").defer("geom").order_by("code12")
    prefixes = area_prefixes(user)
    return [c for c in counties if prefixes is None or c.code12.startswith(prefixes)]


@transaction.atomic
def create(user, *, name: str, year, target, county_targets: dict[str, object]) -> Campaign:
    """A new campaign, by an officer, with a target for the city and one per county of the officer's regions
    (empty: none); written to the audit log."""
    _require_officer(user)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InputError(_("Give the campaign a name of at most 100 characters."), where={"field": "name"})
    year = _whole(year, "year", MIN_YEAR, MAX_YEAR)
    target = _whole(target, "target", 1, 10_000_000)
    allowed = {c.code: c for c in counties_for(user)}
    targets = {}
    for code, value in county_targets.items():
        if value in (None, ""):
            continue
        if code not in allowed:
            raise PermissionDenied(_("You may set targets only for the counties of your regions."),
                                   code="outside_region", where={"county": code})
        targets[code] = _whole(value, f"county_{code}", 1, 10_000_000)
    if sum(targets.values()) > target:
        raise InputError(_("The counties' targets add up to more than the campaign's target."),
                         where={"field": "target"})
    if Campaign.objects.filter(name=name, year=year).exists():
        raise Conflict(_("A campaign of this name already exists for this year."), code="duplicate",
                       where={"field": "name"})
    campaign = Campaign.objects.create(name=name, year=year, target=target, county_targets=targets)
    record(campaign, Action.CREATE, actor=user)
    return campaign


def _whole(value, field: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise InputError(_("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                         where={"field": field})
    return number


def campaign_for(pk) -> Campaign:
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise NotFound(_("No such campaign."), code="not_found")
    return campaign


def rural_places():
    """Places a campaign collects: villages and natural villages in use."""
    return Place.objects.filter(kind__code="village", status="in_use")


def summary(user, campaign: Campaign) -> dict:
    """The campaign's figures within the user's regions (a county's officer sees the county's, as on the
    campaign's own page): its target there, the submissions accepted and refused."""
    figures = submissions(user, campaign).aggregate(
        total=Count("id"), accepted=Count("id", filter=Q(state=P.ACCEPTED)),
        refused=Count("id", filter=Q(state=P.REFUSED)))
    prefixes = area_prefixes(user)
    if prefixes is None:
        figures["target"] = campaign.target
    else:
        figures["target"] = sum(int(value) for code, value in (campaign.county_targets or {}).items()
                                if str(code).startswith(prefixes) and value not in (None, ""))
    return figures
