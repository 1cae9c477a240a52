from django.urls import path

from exports import api, views

app_name = "exports"
urlpatterns = [
    path("exports/", views.index, name="index"),
    path("exports/download", views.download, name="download"),
    path("exports/platforms/", views.platforms, name="platforms"),
    path("exports/platforms/<int:pk>/token", views.platform_token, name="platform_token"),
    path("api/v1/feed/latest", api.latest, name="feed-latest"),
    path("api/v1/feed/snapshot", api.snapshot, name="feed-snapshot"),
    path("api/v1/feed/events", api.events, name="feed-events"),
]
