from django.apps import AppConfig


class DoorplatesConfig(AppConfig):
    name = "doorplates"
    verbose_name = "门牌"
