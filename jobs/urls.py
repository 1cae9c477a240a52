from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:uuid>/", views.job_page, name="job"),
    path("<uuid:uuid>/state.json", views.job_state, name="state"),
    path("<uuid:uuid>/cancel/", views.job_cancel, name="cancel"),
]
