from pathlib import PurePath

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "actor", "created", "finished", "done", "total"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "kind", "actor__username"]
    # The queued file by its name, not as a link: no /media/ route serves it, and only the job's pages may.
    fields = readonly_fields = [f.name if f.name != "input_file" else "input_file_name" for f in Job._meta.fields]

    @admin.display(description=_("input file"))
    def input_file_name(self, job):
        return PurePath(job.input_file.name).name if job.input_file else "—"

    def has_add_permission(self, request):
        return False  # jobs are submitted by the pages that need them
