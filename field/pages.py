"""The crews' app (外业巡查) as the browser gets it: the shell page, its web app manifest and its service worker.

The shell holds no data and no user: it is the same for everyone, so the service worker can keep it and open it
with no network. Everything a crew works with comes from the sync API (field/api_urls.py) into the device's
IndexedDB. The service worker's cache is named after a hash of the shell and of every file it precaches, so a
changed file is a new worker, a new cache, and the old one is dropped when the new worker takes over.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from field import app_strings

# Static files the shell needs, precached by the service worker (paths under STATIC_URL).
SHELL_STATIC = (
    "field/app.css",
    "field/store.js",
    "field/geo.js",
    "field/outbox.js",
    "field/photos.js",
    "field/qr.js",
    "field/map.js",
    "field/app.js",
    "field/icons/icon-192.png",
    "field/icons/icon-512.png",
    "field/icons/apple-touch-icon.png",
    "vendor/maplibre-gl/maplibre-gl.js",
    "vendor/maplibre-gl/maplibre-gl.css",
    "vendor/pmtiles/pmtiles.js",
    "vendor/jsqr/jsQR.js",
)


def _shell_html(request) -> str:
    return render_to_string("field/app.html", {"strings": app_strings.strings()}, request=None)


@require_safe
def app_shell(request):
    response = HttpResponse(_shell_html(request))
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request):
    shell = reverse("field:app")
    body = {
        "name": _("Diming field work"),
        "short_name": _("Field work"),
        "description": _("Offline checks of graves, boundary markers and doorplates for field crews."),
        "lang": "zh-CN",
        "id": shell,
        "start_url": shell,
        "scope": shell,
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f4f7f6",
        "theme_color": "#156552",
        "icons": [
            {"src": static("field/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("field/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


def _static_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        return b""
    with open(found, "rb") as handle:
        return handle.read()


@require_safe
def service_worker(request):
    """The worker's script; its cache name changes whenever the shell or any precached file does."""
    shell_url = reverse("field:app")
    urls = [shell_url, reverse("field:manifest")] + [static(path) for path in SHELL_STATIC]
    digest = hashlib.sha256(_shell_html(request).encode())
    for path in SHELL_STATIC:
        digest.update(_static_bytes(path))
    script = render_to_string("field/app_sw.js", {
        "version": digest.hexdigest()[:16],
        "precache": json.dumps(urls),
        "shell": json.dumps(shell_url),
    })
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = shell_url
    return response


@login_required
def signed_in(request):
    """Where the login window lands: it tells the app that opened it and closes, so nothing the app holds is lost."""
    return render(request, "field/app_signed_in.html")
