"""The sync API the crews' app talks to (/field/api/v1/, /work/coord/field-contract.md): thin views that check the
session and the role, call field.submissions / field.uploads / field.packages and answer JSON.

Every answer is JSON, errors in the shape of every API of the product (``{"error": {"code", "message", "where"?}}``,
core.errors): an expired session is a 401 (the app asks for a login and keeps its outbox), never a redirect to the
login page. The CSRF check runs after the session check, so a lapsed session reads as 401, not as a CSRF refusal.
"""

from __future__ import annotations

import functools
import json

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from accounts.roles import Role
from accounts.scoping import has_role
from field import packages, submissions, uploads
from field.kinds import kinds
from field.packages import regions
from gis.errors import DimingError, InputError

CREW_ROLES = (Role.FIELD_CREW, Role.OFFICER, Role.REVIEWER)
MAX_BODY = 2 << 20  # a submission's JSON; photos travel as uploads


def error_response(status: int, code: str, message: str, where: dict | None = None) -> JsonResponse:
    error = {"code": code, "message": str(message), **({"where": where} if where else {})}
    response = JsonResponse({"error": error}, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def from_error(error: DimingError) -> JsonResponse:
    response = error_response(error.http_status, error.code, str(error), error.where)
    for name, value in error.headers.items():
        response[name] = value
    return response


def reply(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


class _Csrf(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return error_response(403, "csrf_failed", _("The page's security token is missing or stale: reload the app."))


def endpoint(*methods: str):
    """A JSON endpoint of the crews' API: allowed ``methods``, a signed-in user with a crew role, CSRF for writes,
    product errors as JSON."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def run(request, *args, **kwargs):
            if request.method not in methods:
                response = error_response(405, "method_not_allowed", _("This method is not allowed here."))
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return error_response(401, "not_signed_in", _("Your session has ended: sign in again. Nothing on "
                                                              "the device is lost."))
            if not has_role(request.user, *CREW_ROLES):
                return error_response(403, "role_required", _("Your role does not allow field work."))
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                refused = _Csrf(lambda r: None).process_view(request, None, (), {})
                if refused is not None:
                    return refused
            try:
                return view(request, *args, **kwargs)
            except DimingError as error:
                return from_error(error)

        return run

    return wrap


def _json_body(request):
    length = int(request.META.get("CONTENT_LENGTH") or 0) if str(request.META.get("CONTENT_LENGTH") or "0").isdecimal() \
        else 0
    if length > MAX_BODY:
        raise uploads.TooLarge(_("A submission may be at most 2 MB of JSON; photos are uploaded apart."))
    if not (request.content_type or "").endswith("json"):
        raise InputError(_("Send JSON (Content-Type: application/json)."), code="json_required")
    try:
        return json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        raise InputError(_("The body is not valid JSON."), code="invalid_json") from None


@endpoint("GET")
def session(request):
    user = request.user
    return reply({"user": {"username": user.get_username(), "display_name": user.get_full_name() or user.get_username(),
                           "regions": [{"code": a.code, "name": a.name} for a in regions(user)]},
                  "csrf_token": get_token(request)})


@endpoint("GET")
def task_types(request):
    return reply([{**kind.as_json(), "unavailable": kind.unavailable(request.user)} for kind in kinds().values()])


@endpoint("GET")
def package_list(request):
    return reply(packages.listing(request.user))


# A county's package is megabytes of JSON (4,000 tasks: 2.7 MB, 0.36 MB compressed), fetched over a weak signal.
@gzip_page
@endpoint("GET")
def package(request, code):
    return reply(packages.package(request.user, code))


@gzip_page
@endpoint("GET")
def package_changes(request, code):
    return reply(packages.changes(request.user, code, request.GET.get("since", "")))


@endpoint("GET")
def lookup(request):
    text = request.GET.get("qr", "")[:500]
    for kind in kinds().values():
        record_id = kind.lookup(request.user, text)
        if record_id is None:
            continue
        try:
            task = kind.task(request.user, record_id)
        except DimingError:
            continue
        return reply({"task_id": f"{kind.key}:{task.record_id}", "type": kind.key, "record_id": task.record_id,
                      "url": f"/field/#/task/{kind.key}:{task.record_id}"})
    return reply({"task_id": None, "type": None, "record_id": None, "url": None})


@endpoint("GET", "POST")
def submission_list(request):
    if request.method == "POST":
        status, answer = submissions.submit(request.user, _json_body(request))
        return reply(answer, status=status)
    found = submissions.since(request.user, request.GET.get("since"))
    return reply([submissions.answer(s) for s in found])


@endpoint("GET")
def submission(request, client_id):
    sub = submissions.of_user(request.user, client_id)
    submissions.retry(sub)
    sub.refresh_from_db()
    return reply(submissions.answer(sub))


@endpoint("POST")
def resolve(request, client_id):
    sub = submissions.of_user(request.user, client_id)
    body = _json_body(request)
    sub = submissions.resolve(request.user, sub, body.get("choices") if isinstance(body, dict) else None)
    return reply(submissions.answer(sub))


@endpoint("HEAD", "PATCH")
def upload(request, sha):
    if request.method == "HEAD":
        found = uploads.state(sha)
        if found is None:
            return error_response(404, "not_found", _("This upload was never started."))
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(found.length if found.complete else found.offset)
        response["Upload-Length"] = str(found.length)
        if found.complete:
            response["Upload-Complete"] = "1"
        response["Cache-Control"] = "no-store"
        return response
    offset, length = _header_int(request, "Upload-Offset"), _header_int(request, "Upload-Length")
    if request.content_type != "application/offset+octet-stream":
        raise InputError(_("Send the chunk as application/offset+octet-stream."), code="wrong_content_type")
    declared = _header_int(request, "Content-Length", default=0)
    if declared > uploads.MAX_CHUNK:
        raise uploads.TooLarge(_("A chunk may be at most 1 MB."))
    found = uploads.receive(request.user, sha, offset=offset, length=length, chunk=request.read(uploads.MAX_CHUNK + 1))
    if found.complete:
        submissions.upload_completed(sha)
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(found.offset)
    if found.complete:
        response["Upload-Complete"] = "1"
    return response


def _header_int(request, name: str, default: int | None = None) -> int:
    raw = request.headers.get(name)
    if raw is None and default is not None:
        return default
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > 15:
        raise InputError(_("The header %(name)s must be a whole number of bytes.") % {"name": name},
                         code="invalid_header", where={"header": name})
    return int(raw)
