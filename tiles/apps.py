from django.apps import AppConfig


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = "地图瓦片与 OGC API"
