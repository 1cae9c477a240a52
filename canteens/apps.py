from django.apps import AppConfig


class CanteensConfig(AppConfig):
    name = "canteens"
    verbose_name = "老年助餐"
