from audit.models import Action
from audit.services import record, snapshot


class AuditedAdminMixin:
    """Records every add, edit and delete made through the admin in the audit log, with before and after."""

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old) if old else None
        super().save_model(request, obj, form, change)
        record(obj, Action.UPDATE if change else Action.CREATE, actor=request.user, before=before,
               reason="admin")

    def delete_model(self, request, obj):
        before = snapshot(obj)
        record(obj, Action.DELETE, actor=request.user, before=before, after=None, reason="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
