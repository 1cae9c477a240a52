from __future__ import annotations

import json
import logging
import math
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import JsonResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.errors import DATABASE_DOWN, not_signed_in, refused_for_storage, unchecked_value, with_headers
from core.params import unstorable
from gis.errors import DimingError, InputError

log = logging.getLogger(__name__)


def back_url(request) -> str:
    """Where the "back" link of an error page goes: the page the user came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        if not referer.split("?")[0].endswith(request.path):
            return referer
    return ""


def error_title(status: int) -> str:
    """A refusal's title says what kind of refusal it is; the error's code and ``where`` are for the API only."""
    return {403: _("Access denied"), 404: _("Not found"), 409: _("The record changed meanwhile"),
            413: _("The upload is too large"), 507: _("The server's disk is full")}.get(status, _("The request cannot be carried out"))


def error_response(request, error, status: int | None = None):
    status = status or error.http_status
    return with_headers(error_page(request, "error.html", status, error_title(status), error=error), error)


def error_page(request, template: str, status: int, title: str, **context):
    """An error page (a child of error_page.html): its title, the way back, and what the template says."""
    return render(request, template, {"title": title, "back_url": back_url(request), **context}, status=status)


def database_unavailable_response(request):
    request.diming_database_down = True  # the menu then reads no user or session (config.navigation)
    return render(request, "503.html", {"title": _("Service temporarily unavailable"), "status": 503}, status=503)


class DatabaseUnavailableMiddleware:
    """Turns a lost database into a clear 503 page instead of a traceback, DimingError into its status, and
    Django's own refusal of a value no view checked into a 400 (core.errors.unchecked_value)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        refused = refused_for_storage(exception)
        if refused is not None:
            return refusal(request, refused)
        if isinstance(exception, DATABASE_DOWN):
            log.error("database unavailable: %s", exception)
            return database_unavailable_response(request)
        if isinstance(exception, ValidationError):
            exception = unchecked_value(exception)
        if isinstance(exception, DimingError):
            return error_response(request, exception)
        return None


class SignInRefusalMiddleware:
    """An API client that is not signed in is told so: 401 in the one error shape, not a redirect to the sign-in
    page. A page's script asking a view behind ``login_required`` (the application form's place picker) after the
    officer's session ended would otherwise read the sign-in form as its answer and show nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 302 and wants_json(request) and not request.user.is_authenticated
                and urlsplit(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)):
            response = refusal(request, not_signed_in())
            response["WWW-Authenticate"] = "Session"
        return response


class RequestRefused(InputError):
    code = "unstorable_text"


class BodyTooLarge(InputError):
    code = "body_too_large"
    http_status = 413


JSON_NESTING = 64  # GeoJSON needs 6 levels (a MultiPolygon in a Feature); deeper is an attack, not data
API_PREFIXES = ("/api/", "/ogc/", "/tiles/")


def wants_json(request) -> bool:
    """An API client (by its path, what it accepts or what it sends) gets errors as JSON; a browser, a page."""
    return (request.path_info.startswith(API_PREFIXES) or "/api/" in request.path_info
            or "json" in request.META.get("HTTP_ACCEPT", "") or "json" in request.META.get("CONTENT_TYPE", ""))


def refusal(request, error: DimingError):
    """A request refused before its view: JSON for an API client, the error page for a browser."""
    if wants_json(request):
        return with_headers(JsonResponse({"error": error.as_dict()}, status=error.http_status,
                                         json_dumps_params={"ensure_ascii": False}), error)
    return error_response(request, error)


def declared_length(request) -> int:
    """The body's declared length (Content-Length); Django reads no body when it is missing or not a number."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ViewCheckMiddleware:
    """A middleware that only checks a request before its view (``process_view``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


def _refuse_unstorable(where: str, value: str, *, named: str | None = None) -> None:
    """``where`` names the place for people (a page's field by no internal name); ``named`` is the parameter's or
    field's own name, for API clients, in the error's ``where``."""
    if unstorable(value):
        raise RequestRefused(_("%(where)s contains a character that cannot be stored (NUL or an unpaired "
                               "surrogate).") % {"where": where}, where={"in": named or where})


class _NotAJsonNumber(ValueError):
    pass


def _no_constant(name: str):
    raise _NotAJsonNumber(name)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotAJsonNumber(text[:30])
    return value


def _read_json(body: bytes):
    """The JSON document of a body, as RFC 8259 writes it: NaN, Infinity and a number past a double's range (which
    Python's reader takes, and PostgreSQL's jsonb and every other reader refuse) are not numbers; a body that is not
    JSON is told with its line and column, not with the reader's English."""
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise InputError(_("The JSON body is nested deeper than %(depth)d levels.") % {"depth": JSON_NESTING},
                         code="json_too_deep") from None
    except _NotAJsonNumber as error:
        raise InputError(_("The JSON body holds %(value)s, which is not a number JSON can hold.") % {"value": error},
                         code="invalid_json", where={"value": str(error)}) from None
    except json.JSONDecodeError as error:
        raise InputError(_("The JSON body cannot be read at line %(line)d, column %(column)d.")
                         % {"line": error.lineno, "column": error.colno}, code="invalid_json",
                         where={"line": error.lineno, "column": error.colno}) from None
    except UnicodeDecodeError:
        raise InputError(_("The JSON body is not UTF-8 text."), code="invalid_json") from None
    except ValueError:  # an integer of more digits than Python reads (sys.get_int_max_str_digits)
        raise InputError(_("The JSON body holds a number too long to read."), code="invalid_json") from None


def _check_json(value, where: str, depth: int = 0) -> None:
    if depth > JSON_NESTING:
        raise InputError(_("The JSON body is nested deeper than %(depth)d levels.") % {"depth": JSON_NESTING},
                         code="json_too_deep")
    if isinstance(value, str):
        _refuse_unstorable(_("The JSON field %(field)s") % {"field": where.lstrip(".") or "/"}, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable(_("The JSON key %(key)s") % {"key": f"{where}.{key[:50]}".lstrip(".")}, key)
            _check_json(item, f"{where}.{key[:50]}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]", depth + 1)


def _with_lf_line_ends(post: QueryDict) -> QueryDict:
    """A browser sends a textarea's line ends as CRLF; stored as sent, a form saved unchanged would rewrite every
    multi-line text. Form values reach the views with LF line ends, as the API's JSON and the imports give them."""
    if not any("\r" in value for name, values in post.lists() for value in [name, *values]):
        return post
    fixed = QueryDict(mutable=True)
    for name, values in post.lists():
        fixed.setlist(name, [value.replace("\r\n", "\n").replace("\r", "\n") for value in values])
    fixed._mutable = False
    return fixed


class StorableTextMiddleware(ViewCheckMiddleware):
    """Refuses, with a clear 400, any request whose text PostgreSQL could not store: a NUL or an unpaired surrogate
    in the path, a query parameter, a header, a form field or anywhere in a JSON body (keys included); and a JSON
    body past DIMING_MAX_JSON_MB (413) or nested past JSON_NESTING levels (400). The views then never meet one.
    Form fields reach the views with LF line ends (_with_lf_line_ends)."""

    def process_view(self, request, view, args, kwargs):
        """After UploadLimitMiddleware (no oversized body is read) and before the CSRF check reads a form."""
        try:
            self._check(request)
        except InputError as error:
            return refusal(request, error)
        return None

    def _check(self, request) -> None:
        _refuse_unstorable(_("The address"), request.path_info)
        for name, value in request.META.items():
            if name.startswith("HTTP_") and isinstance(value, str):
                _refuse_unstorable(_("The header %(name)s") % {"name": name[5:].replace("_", "-").title()}, value)
        api = wants_json(request)  # an API client is told the parameter's or field's name; a page's reader is not
        for name, values in request.GET.lists():
            for value in [name, *values]:
                _refuse_unstorable(_("The query parameter %(name)s") % {"name": name[:50]} if api
                                   else _("The address"), value, named=f"query parameter {name[:50]}")
        content_type = request.content_type or ""
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, values in request.POST.lists():
                for value in [name, *values]:
                    _refuse_unstorable(_("The form field %(name)s") % {"name": name[:50]} if api
                                       else _("A field of the form"), value, named=f"form field {name[:50]}")
            for name, upload in request.FILES.items():
                _refuse_unstorable(_("The form field %(name)s") % {"name": name[:50]} if api
                                   else _("A file's name"), upload.name or "", named=f"form field {name[:50]}")
            request.POST = _with_lf_line_ends(request.POST)
        elif "json" in content_type:
            self._check_json_body(request)

    @staticmethod
    def _check_json_body(request) -> None:
        limit = settings.DIMING_MAX_JSON_MB * 1024 * 1024
        length = declared_length(request)
        if length > limit:
            raise BodyTooLarge(_("The JSON body is larger than %(mb)s MB.") % {"mb": settings.DIMING_MAX_JSON_MB})
        try:
            body = request.body
        except RequestDataTooBig:
            raise BodyTooLarge(_("The JSON body is larger than %(mb)s MB.")
                               % {"mb": settings.DIMING_MAX_JSON_MB}) from None
        if len(body) > limit:
            raise BodyTooLarge(_("The JSON body is larger than %(mb)s MB.") % {"mb": settings.DIMING_MAX_JSON_MB})
        if not body.strip():
            return  # no body: the view says whether it needs one
        document = _read_json(body)
        if not isinstance(document, dict):  # every view reads named members; none takes a list or a bare value
            raise InputError(_("The JSON body must be an object, its members named: {\"name\": value, …}."),
                             code="json_object_required")
        _check_json(document, "")


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The product speaks Simplified Chinese unless its user chose English (/i18n/setlang/, a cookie): an office
    computer or a phone whose system is set to English otherwise got English words around Chinese data (the
    layers' and areas' names), a page in two languages. A browser's Accept-Language is not a choice made here."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and translation.check_for_language(chosen) and chosen in dict(settings.LANGUAGES) \
            else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
