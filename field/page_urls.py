from django.urls import path

from field import pages

urlpatterns = [
    path("", pages.app_shell, name="app"),
    path("manifest.webmanifest", pages.manifest, name="manifest"),
    path("sw.js", pages.service_worker, name="service_worker"),
    path("signed-in/", pages.signed_in, name="signed_in"),
]
