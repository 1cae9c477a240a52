from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacenamesConfig(AppConfig):
    name = "placenames"
    verbose_name = _("Place names")
