from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """The crews' offline tablet app (/field/) and the sync API it talks to (/field/api/v1/)."""

    name = "field"
    verbose_name = _("Field work")
