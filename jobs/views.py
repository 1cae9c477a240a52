"""A job's page: its progress while it runs (the page asks job.json every second), its result when it is done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from accounts.scoping import has_role
from gis.errors import DimingError
from jobs import registry
from jobs.models import FINISHED, Job
from jobs.services import alert_worker_down, cancel, visible_job, worker_seen


def _worker(request) -> dict:
    """Whether a worker runs; when none does, administrators are alerted and see the remedy on the page."""
    seen = worker_seen()
    if not seen:
        alert_worker_down()
    user = request.user
    return {"worker_seen": seen, "sees_worker_remedy": user.is_superuser or user.is_staff or has_role(user)}


def _state(job) -> dict:
    kind = registry.get(job.kind)
    finished = job.status in FINISHED
    stage_label = "" if finished else (kind.stages.get(job.stage, job.stage) if kind else job.stage)
    return {"status": job.status, "status_label": job.get_status_display(), "stage": job.stage,
            "stage_label": stage_label,
            "done": job.done, "total": job.total, "percent": job.percent, "finished": finished,
            "cancelling": job.cancelling, "error": job.error}


@login_required
@require_GET
def job_page(request, uuid):
    job = visible_job(request.user, uuid)
    kind = registry.get(job.kind)
    return render(request, "jobs/job.html", {
        "title": job.title, "job": job, "state": _state(job), "finished": job.status in FINISHED,
        "result_template": kind.result_template if kind else None, "result": job.result,
        **_worker(request),
    })


@login_required
@require_POST
def job_cancel(request, uuid):
    job = visible_job(request.user, uuid)
    try:
        job = cancel(job, request.user)
    except DimingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The job is cancelled.") if job.status in FINISHED
                         else _("The job stops at its next progress report; nothing it did is kept."))
    return redirect("jobs:job", uuid=job.uuid)


@login_required
@require_GET
def job_state(request, uuid):
    response = JsonResponse(_state(visible_job(request.user, uuid)), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_list(request):
    """The user's recent jobs (an administrator's: everyone's), newest first."""
    jobs = Job.objects.select_related("actor")
    if not has_role(request.user, Role.ADMIN):
        jobs = jobs.filter(actor=request.user)
    return render(request, "jobs/list.html", {"title": _("Background jobs"), "jobs": jobs[:100], **_worker(request)})
