from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "变更记录"

    def ready(self):
        from audit import receivers  # noqa: F401  (connects them)
