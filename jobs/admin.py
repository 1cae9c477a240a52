from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "actor", "created", "finished", "done", "total"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "kind", "actor__username"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False  # jobs are submitted by the pages that need them
