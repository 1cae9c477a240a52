from django.urls import include, path
from rest_framework.routers import DefaultRouter

from canteens import api, views

app_name = "canteens"

router = DefaultRouter()
router.register("canteens", api.CanteenViewSet, basename="canteen-api")

urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage_csv"),
    path("coverage.xlsx", views.coverage_xlsx, name="coverage_xlsx"),
    path("coverage/map.json", views.coverage_map, name="coverage_map"),
    path("list/", views.canteen_list, name="list"),
    path("new/", views.canteen_new, name="new"),
    path("<uuid:uuid>/", views.canteen_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.canteen_edit, name="edit"),
    path("<uuid:uuid>/status/", views.canteen_status, name="status"),
    path("api/coverage/", api.coverage, name="api_coverage"),
    path("api/uncovered/", api.uncovered, name="api_uncovered"),
    path("api/siting/", api.siting, name="api_siting"),
    path("api/", include(router.urls)),
]
