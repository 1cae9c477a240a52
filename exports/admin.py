from django.contrib import admin

from audit.admin_mixins import AuditedAdminMixin
from exports.models import Consumer, ExportLog, FeedTransaction


@admin.register(Consumer)
class ConsumerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "user", "profile", "layers", "requests_per_minute", "active", "created_at"]
    list_filter = ["active", "profile"]
    search_fields = ["name", "user__username"]
    filter_horizontal = ["areas"]
    raw_id_fields = ["user"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "consumer", "kind", "profile", "layer", "area_code", "records", "warnings",
                    "seconds"]
    list_filter = ["kind", "profile", "layer"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedTransaction)
class FeedTransactionAdmin(admin.ModelAdmin):
    list_display = ["txid", "committed_at", "batch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
