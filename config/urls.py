from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from accounts.forms import AdminSignInForm
from config import views

admin.site.site_header = _("Diming place-name system")
admin.site.site_title = "Diming"
admin.site.index_title = _("Data administration")
admin.site.login_form = AdminSignInForm

# The apps whose pages and API stand under their own name: /placenames/ is placenames.urls.
APPS_UNDER_THEIR_NAME = ("accounts", "boundaries", "placenames", "doorplates", "canteens", "cemeteries", "jobs", "field")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # The REST API's OpenAPI 3 description (drf-spectacular), for signed-in users and API tokens.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *[path(f"{app}/", include(f"{app}.urls")) for app in APPS_UNDER_THEIR_NAME],
    path("boundaries/", include("borders.urls")),  # lines, markers, inspections: kept their /boundaries/ addresses
    path("d/", include("doorplates.public_urls")),  # a plate's QR code
    path("", include("tiles.urls")),  # /map/, /tiles/, /ogc/
    path("", include("exports.urls")),  # /exports/, and the platforms' feed at /api/v1/feed/
]

handler400 = "config.views.bad_request"
handler404 = "config.views.not_found"
handler403 = "config.views.forbidden"
handler500 = "config.views.server_error"

# No /media/ route, in any profile: an upload is served only by a view that checks the reader's right to its
# record (core.uploads.attachment).
