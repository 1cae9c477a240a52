from django.urls import include, path

from cemeteries import api, views

app_name = "cemeteries"

urlpatterns = [
    path("", views.register, name="register"),
    path("graves/<uuid:uuid>/", include([
        path("", views.grave_page, name="grave"),
        path("step/", views.grave_step, name="step"),
        path("crew/", views.grave_crew, name="crew"),
        path("notice.pdf", views.notice_pdf, name="notice"),
        path("photos/<uuid:photo_uuid>/", views.grave_photo, name="photo"),
    ])),
    path("zones/import/", views.zone_import, name="zone_import"),
    path("api/graves/", api.graves, name="api_graves"),
    path("api/graves/<uuid:uuid>/", include([
        path("", api.grave, name="api_grave"),
        path("steps/", api.steps, name="api_steps"),
        path("photos/", api.photos, name="api_photos"),
        path("crew/", api.crew, name="api_crew"),
        path("history/", api.history, name="api_history"),
    ])),
    path("", include("cemeteries.campaign_urls")),  # campaigns, dashboards, reports and triage
]
