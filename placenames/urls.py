from django.urls import include, path

from placenames import api, views

app_name = "placenames"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.place_suggest, name="place_suggest"),
    path("overdue/", views.overdue, name="overdue"),
    path("places/<uuid:uuid>/", views.place_detail, name="place"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", include([
        path("", views.application_detail, name="application"),
        path("events/<int:event_id>/evidence/", views.application_evidence, name="application_evidence"),
        path("edit/", views.application_edit, name="application_edit"),
        path("act/<slug:action>/", views.application_act, name="application_act"),
        path("findings/<int:finding_id>/justify/", views.justify, name="justify"),
        path("objections/<int:objection_id>/answer/", views.answer_objection, name="answer_objection"),
    ])),
    path("announcements/", views.announcement, name="announcement"),
    path("announcements.xlsx", views.announcement_xlsx, name="announcement_xlsx"),
    path("public/<uuid:token>/", views.public_consultation, name="public"),
    path("api/search/", api.SearchView.as_view(), name="api_search"),
    path("api/", include(api.router.urls)),
    path("", include("placenames.registry_urls")),
]
