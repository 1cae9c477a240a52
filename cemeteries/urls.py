from django.urls import include, path

from cemeteries import api, views

app_name = "cemeteries"

urlpatterns = [
    path("", views.register, name="register"),
    path("graves/<uuid:uuid>/", views.grave_page, name="grave"),
    path("graves/<uuid:uuid>/step/", views.grave_step, name="step"),
    path("graves/<uuid:uuid>/crew/", views.grave_crew, name="crew"),
    path("graves/<uuid:uuid>/notice.pdf", views.notice_pdf, name="notice"),
    path("graves/<uuid:uuid>/photos/<uuid:photo_uuid>/", views.grave_photo, name="photo"),
    path("zones/import/", views.zone_import, name="zone_import"),
    path("api/graves/", api.graves, name="api_graves"),
    path("api/graves/<uuid:uuid>/", api.grave, name="api_grave"),
    path("api/graves/<uuid:uuid>/steps/", api.steps, name="api_steps"),
    path("api/graves/<uuid:uuid>/photos/", api.photos, name="api_photos"),
    path("api/graves/<uuid:uuid>/crew/", api.crew, name="api_crew"),
    path("api/graves/<uuid:uuid>/history/", api.history, name="api_history"),
    path("", include("cemeteries.campaign_urls")),  # campaigns, dashboards, reports and triage
]
