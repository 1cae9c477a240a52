from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "boundaries"
    verbose_name = "行政区划"
