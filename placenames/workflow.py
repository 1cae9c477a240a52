"""The application state machine (地名管理条例 art. 11-14), as a table.

draft → submitted (the rules run) → checked (the reviewer's 审核) → reviewed (专家论证) → consultation (公示) → consulted
→ approved | rejected → filed (备案) → announced (公告, the name is in use).

Each action names the states it may start from, the state it leads to, the roles that may take it and the fields
the request must carry. ``placenames.services.apply`` is the only code that changes an application's state.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from gis.errors import IllegalTransition
from placenames.models import ApplicationState as S


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str
    required: tuple[str, ...] = ()  # request fields that must be non-empty
    optional: tuple[str, ...] = ()  # request fields the action may set
    danger: bool = False  # shown as a secondary button (returns, rejections)


OFFICER = (Role.OFFICER.value,)
REVIEWER = (Role.REVIEWER.value,)

TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    Transition("submit", (S.DRAFT,), S.SUBMITTED, OFFICER, _("Submit and run the rule check")),
    Transition("withdraw", (S.SUBMITTED,), S.DRAFT, OFFICER, _("Withdraw to draft"),
               required=("reason",), danger=True),
    # The reviewer's check of what the officer submitted (审核): passed, or returned with the reasons.
    Transition("return_to_draft", (S.SUBMITTED, S.CHECKED), S.DRAFT, REVIEWER, _("Return for revision"),
               required=("reason",), danger=True),
    Transition("pass_check", (S.SUBMITTED,), S.CHECKED, REVIEWER, _("Pass the review"), optional=("reason",)),
    Transition("record_review", (S.CHECKED,), S.REVIEWED, OFFICER, _("Record the expert review"),
               required=("expert_opinion",)),
    Transition("open_consultation", (S.REVIEWED,), S.CONSULTATION, OFFICER, _("Open public consultation"),
               optional=("consultation_days",)),
    Transition("close_consultation", (S.CONSULTATION,), S.CONSULTED, OFFICER, _("Close public consultation")),
    Transition("approve", (S.CONSULTED,), S.APPROVED, REVIEWER, _("Approve"),
               required=("approving_authority",), optional=("approval_reference",)),
    Transition("reject", (S.CHECKED, S.REVIEWED, S.CONSULTED), S.REJECTED, REVIEWER, _("Reject"),
               required=("reason",), danger=True),
    Transition("file", (S.APPROVED,), S.FILED, OFFICER, _("Record the filing"),
               required=("filed_with", "filing_reference")),
    Transition("announce", (S.FILED,), S.ANNOUNCED, OFFICER, _("Record the announcement"),
               required=("announcement_reference",)),
]}


# The steps the drafter of an application may not take on it (separation of duties: 起草人不得审核、审批本人起草的申请).
REVIEW_ACTIONS = frozenset({"pass_check", "return_to_draft", "approve", "reject"})


def transition(action: str, state: str) -> Transition:
    """The transition ``action`` from ``state``; IllegalTransition when there is none."""
    found = TRANSITIONS.get(action)
    if found is None:
        raise IllegalTransition(gettext("Unknown action: %(action)s.") % {"action": action}, code="unknown_action", where={"action": action})
    if state not in found.sources:
        raise IllegalTransition(
            gettext("The application is “%(state)s”: it cannot take “%(action)s”.")
            % {"state": S(state).label, "action": found.label},
            where={"action": action, "state": state},
            hint=gettext("States it may start from: %(states)s.")
            % {"states": gettext(", ").join(str(S(s).label) for s in found.sources)})
    return found


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def is_terminal(state: str) -> bool:
    return not actions_from(state)
