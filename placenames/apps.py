from django.apps import AppConfig


class PlacenamesConfig(AppConfig):
    name = "placenames"
    verbose_name = "地名"
