"""Public consultation (公示): the page citizens read without logging in, their objections and the answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import require_area
from audit.models import Action
from audit.services import record
from core.params import within
from gis.errors import Conflict, InputError, NotFound
from placenames.models import Application, ApplicationState, Objection
from placenames.services import locked_application, today


def public_application(token) -> Application:
    """An application in (or after) public consultation, for the page that needs no login."""
    try:
        return (Application.objects.select_related("kind", "area", "place")
                .exclude(consultation_starts_on=None).get(public_token=token))
    except (Application.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("No such public consultation.")) from None


def submit_objection(token, *, text: str, name: str = "", contact: str = "") -> Objection:
    app = public_application(token)
    if app.state != ApplicationState.CONSULTATION or app.consultation_is_over(today()):
        raise Conflict(_("The public consultation has ended: it takes no more objections."), code="consultation_closed")
    text = (text or "").strip()
    if not text:
        raise InputError(_("Write the objection."), where={"field": "text"})
    if len(text) > 2000:
        raise InputError(_("Keep the objection within 2000 characters."), where={"field": "text", "length": len(text)})
    with transaction.atomic():
        objection = Objection.objects.create(application=app, text=text,
                                             name=within(name, 60, _("Your name"), "name"),
                                             contact=within(contact, 100, _("How to reach you"), "contact"))
        record(objection, Action.CREATE, after={"application": app.pk, "text": text}, reason=_("Objection in public consultation"))
    return objection


def answer_objection(user, pk, objection_id, *, answer: str) -> Objection:
    answer = (answer or "").strip()
    if not answer:
        raise InputError(_("Write the answer."), where={"field": "answer"})
    with transaction.atomic():
        app = locked_application(user, pk)
        require_area(user, app.area, roles=(Role.OFFICER,))
        objection = app.objections.select_for_update().filter(pk=objection_id).first()
        if objection is None:
            raise NotFound(_("No such objection."), where={"objection": objection_id})
        if objection.answer:  # two officers answering the same objection: the first answer stands, never overwritten
            by = objection.answered_by  # none for an answer entered on the admin site
            said = (_("%(person)s has already answered this objection: reload the page to read the answer.")
                    % {"person": by.get_full_name() or by.get_username()} if by else
                    _("This objection has already been answered: reload the page to read the answer."))
            raise Conflict(said, code="already_answered", where={"objection": objection.pk})
        before = {"answer": objection.answer}
        objection.answer, objection.answered_by, objection.answered_at = answer, user, timezone.now()
        objection.save()
        record(objection, Action.UPDATE, actor=user, before=before, after={"answer": answer}, reason=_("Answer to an objection"))
    return objection
