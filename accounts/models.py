from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boundaries.models import AdminArea


class AreaAssignment(models.Model):
    """A user may act in this admin area and every area below it (管辖区域)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_assignments",
                             verbose_name=_("user"))
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))

    class Meta:
        verbose_name = _("area assignment")
        verbose_name_plural = _("area assignments")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="unique_user_area")]

    def __str__(self):
        return f"{self.user} @ {self.area}"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))

    def matching(self, raw: str):
        return self.active().filter(digest=_digest(raw))


class ApiToken(models.Model):
    """A bearer token for scripts and map platforms. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
        """Creates a token and returns it with the raw secret, which is shown once and never stored."""
        raw = "dm_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], digest=_digest(raw), expires_at=expires_at)
        return token, raw

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
