from django.urls import path

from field import api

urlpatterns = [
    path("session", api.session, name="api-session"),
    path("task-types", api.task_types, name="api-task-types"),
    path("packages", api.package_list, name="api-packages"),
    path("packages/<str:code>", api.package, name="api-package"),
    path("packages/<str:code>/changes", api.package_changes, name="api-package-changes"),
    path("lookup", api.lookup, name="api-lookup"),
    path("submissions", api.submission_list, name="api-submissions"),
    path("submissions/<str:client_id>", api.submission, name="api-submission"),
    path("submissions/<str:client_id>/resolve", api.resolve, name="api-resolve"),
    path("uploads/<str:sha>", api.upload, name="api-upload"),
]
