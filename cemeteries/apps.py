from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CemeteriesConfig(AppConfig):
    name = "cemeteries"
    verbose_name = _("Scattered graves")

    def ready(self):
        from cemeteries import (
            campaign_signals,  # noqa: F401  (a saved corridor queues its visibility counts)
            signals,  # noqa: F401  (a saved corridor or zone re-tags its graves)
        )
