"""Registering a map platform (平台接入): its account, its grant (layers, region, format) and its token, in one step.

A platform reads the exports and the change feed through a ``Consumer``; before this page an administrator had to
create a user, give it the platform role, create the consumer in the admin with raw ids and JSON, then issue a
token elsewhere, and a platform with only a token got ``not_a_consumer``. ``register`` does it all in one
transaction and returns the token's secret, which is shown once and never stored.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ApiToken, AreaAssignment
from accounts.roles import Role
from audit.models import Action
from audit.services import record
from exports.models import Consumer
from gis.errors import InputError


def account_name() -> str:
    """A free account name for the platform (platform-3fa2c1): people never type it."""
    User = get_user_model()
    for _attempt in range(100):
        candidate = f"platform-{secrets.token_hex(3)}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    raise InputError(_("No free account name for the platform; try again."), code="no_account_name")


@transaction.atomic
def register(*, name: str, layers: list[str], areas, profile: str, requests_per_minute: int = 60,
             by=None) -> tuple[Consumer, str]:
    """Creates the platform's account (role platform consumer, assigned to ``areas``), its consumer and a token;
    returns the consumer and the token's secret."""
    name = name.strip()
    if not name:
        raise InputError(_("Give the platform a name."), code="required", where={"field": "name"})
    if Consumer.objects.filter(name=name).exists():
        raise InputError(_("A platform named %(name)s is already registered.") % {"name": name},
                         code="duplicate_platform", where={"field": "name"})
    User = get_user_model()
    user = User.objects.create_user(username=account_name(), last_name=name[:150])
    user.set_unusable_password()  # a platform signs in with its token only
    user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.PLATFORM_CONSUMER.value)[0])
    for area in areas:
        AreaAssignment.objects.create(user=user, area=area)
    consumer = Consumer.objects.create(user=user, name=name, profile=profile, layers=list(layers),
                                       requests_per_minute=requests_per_minute)
    consumer.areas.set(areas)
    record(consumer, Action.CREATE, actor=by, reason=_("Platform registered"))
    _token, raw = ApiToken.issue(user, name=name)
    return consumer, raw


@transaction.atomic
def new_token(consumer: Consumer, *, by=None) -> str:
    """A new token for the platform; its earlier tokens are revoked (a platform has one token in use)."""
    for token in ApiToken.objects.active().filter(user=consumer.user):
        token.revoke()
    _token, raw = ApiToken.issue(consumer.user, name=consumer.name)
    record(consumer, Action.UPDATE, actor=by, reason=_("New token issued, earlier ones revoked"))
    return raw
