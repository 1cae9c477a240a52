"""django-axes (login throttling) under a name in the admin's language: its own AppConfig calls it "Axes"."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottleConfig(AxesConfig):
    verbose_name = _("Login throttling")
