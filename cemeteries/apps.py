from django.apps import AppConfig


class CemeteriesConfig(AppConfig):
    name = "cemeteries"
    verbose_name = "散埋乱葬治理"
