"""The roles people hold. Each is a Django group; what a role may do is decided by the app that owns the action."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("place-name officer")  # 审核员/地名办: prepares and checks applications
    REVIEWER = "reviewer", _("reviewer")  # approves or rejects, signs off filings
    FIELD_CREW = "field_crew", _("field crew")  # 外业: doorplates, graves, boundary markers on tablets
    PLATFORM_CONSUMER = "platform_consumer", _("platform consumer")  # Amap, Baidu: reads exports and feeds
    ADMIN = "admin", _("administrator")


ALL_ROLES = [role.value for role in Role]
