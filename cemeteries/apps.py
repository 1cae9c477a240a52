from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CemeteriesConfig(AppConfig):
    name = "cemeteries"
    verbose_name = _("Scattered graves")
