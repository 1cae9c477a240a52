"""Replays are recognised: a write (POST, PUT, PATCH, DELETE) sent with an ``Idempotency-Key`` header is done once.

Field tablets queue their submissions while offline and resend them when the signal is back; a resend after a lost
answer must not create a second grave record or move a plate twice. The first request with a key is run and its
answer (status, body, Location) kept for REPLAY_HOURS; a resend by the same caller with the same key gets that answer
again, marked ``Idempotent-Replayed: true``, and nothing runs; the same JSON reformatted (whitespace, key order) or
the same query in another order is the same request. The same key with a different request is refused (422),
and one arriving while the first is still running gets 409. Server errors (5xx) are not kept, so those may be retried.
The key also lands in the audit log (``Change.client_ref``) of whatever the request changed.

Only JSON bodies are fingerprinted and guarded; uploads and form posts go through as usual.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ReplayGuard

HEADER = "HTTP_IDEMPOTENCY_KEY"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
JSON_TYPES = ("application/json", "application/geo+json")
REPLAY_HOURS = 72
MAX_KEY = 100

# The key of the request being served, for audit.services.record.
current_key: contextvars.ContextVar[str] = contextvars.ContextVar("diming_idempotency_key", default="")


def _caller(request) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "auth:" + hashlib.sha256(authorization.encode()).hexdigest()[:40]
    return None


def _error(status: int, code: str, message: str, key: str) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "where": {"idempotency_key": key}}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def _canonical_body(body: bytes) -> bytes:
    """The JSON of a body written one way (sorted keys, no spaces), so that a resend whose client reformatted it
    (whitespace, key order) is the same request; a body that is not JSON counts as its bytes."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _canonical_path(request) -> bytes:
    query = sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
    return (request.path + ("?" + urlencode(query) if query else "")).encode()


def _fingerprint(request) -> str:
    return hashlib.sha256(b"\n".join([request.method.encode(), _canonical_path(request),
                                      _canonical_body(request.body)])).hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER, "").strip()
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if not key or request.method not in WRITES or (request.method != "DELETE" and content_type not in JSON_TYPES):
            return self.get_response(request)
        caller = _caller(request)
        if caller is None:
            return self.get_response(request)  # anonymous writes are refused by the views anyway
        if len(key) > MAX_KEY:
            return _error(400, "bad_idempotency_key", _("An Idempotency-Key has at most %(limit)d characters.") % {"limit": MAX_KEY},
                          key[:MAX_KEY])
        fingerprint = _fingerprint(request)
        guard, replay = self._claim(caller, key, fingerprint)
        if replay is not None:
            return replay
        token = current_key.set(key)
        try:
            response = self.get_response(request)
        except BaseException:
            ReplayGuard.objects.filter(pk=guard.pk).delete()
            raise
        finally:
            current_key.reset(token)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            ReplayGuard.objects.filter(pk=guard.pk).delete()  # may be retried
        else:
            ReplayGuard.objects.filter(pk=guard.pk).update(
                status=response.status_code, content_type=response.get("Content-Type", ""),
                body=response.content, location=response.get("Location", ""))
        return response

    @staticmethod
    def _claim(caller: str, key: str, fingerprint: str):
        """(the new guard, None), or (None, the answer to give instead of running the request)."""
        ReplayGuard.objects.filter(created__lt=timezone.now() - timedelta(hours=REPLAY_HOURS)).delete()
        try:
            with transaction.atomic():
                return ReplayGuard.objects.create(caller=caller, key=key, fingerprint=fingerprint), None
        except IntegrityError:
            pass
        seen = ReplayGuard.objects.filter(caller=caller, key=key).first()
        if seen is None:  # expired between the two statements: run it
            return ReplayGuard.objects.create(caller=caller, key=key, fingerprint=fingerprint), None
        if seen.fingerprint != fingerprint:
            return None, _error(422, "idempotency_key_reused",
                                _("This Idempotency-Key was used for another submission: use a new key for each."), key)
        if seen.status is None:
            return None, _error(409, "request_in_progress", _("The same submission is still being processed: ask again shortly."), key)
        response = HttpResponse(bytes(seen.body), status=seen.status, content_type=seen.content_type or None)
        if seen.location:
            response["Location"] = seen.location
        response["Idempotent-Replayed"] = "true"
        return None, response
