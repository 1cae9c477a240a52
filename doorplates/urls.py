from django.urls import include, path
from rest_framework.routers import DefaultRouter

from doorplates import api, plate_pages, views

app_name = "doorplates"

router = DefaultRouter()
router.register("plates", api.DoorplateViewSet, basename="plate-api")

urlpatterns = [
    path("", views.index, name="index"),
    path("roads/<uuid:uuid>/", views.road_detail, name="road"),
    path("villages/<uuid:uuid>/", views.base_detail, {"kind": "village"}, name="village"),
    path("residential-areas/<uuid:uuid>/", views.base_detail, {"kind": "residential"}, name="residential_area"),
    path("plates/new/", plate_pages.plate_new, name="plate_new"),
    path("plates/<uuid:uuid>/", views.plate_detail, name="plate"),
    path("plates/<uuid:uuid>/edit/", plate_pages.plate_edit, name="plate_edit"),
    path("plates/<uuid:uuid>/action/", views.plate_action, name="plate_action"),
    path("roads/<uuid:uuid>/numbering/", views.road_numbering, name="road_numbering"),
    path("sheet/", views.sheet, name="sheet"),
    path("import/", views.import_file, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("api/roads/<uuid:uuid>/check/", api.road_check, name="api_road_check"),
    path("api/roads/<uuid:uuid>/numbering/", api.road_numbering, name="api_road_numbering"),
    path("api/roads/<uuid:uuid>/suggest/", api.road_suggest, name="api_road_suggest"),
    path("api/roads/<uuid:uuid>/renumber-preview/", api.road_renumber_preview, name="api_road_renumber"),
    path("api/villages/<uuid:uuid>/check/", api.base_check, {"route": "villages"}, name="api_village_check"),
    path("api/residential-areas/<uuid:uuid>/check/", api.base_check, {"route": "residential-areas"},
         name="api_residential_check"),
    path("api/villages/<uuid:uuid>/suggest/", api.village_suggest, name="api_village_suggest"),
    path("api/autocomplete/", api.autocomplete, name="api_autocomplete"),
    path("api/geocode/", api.geocode, name="api_geocode"),
    path("api/reverse/", api.reverse, name="api_reverse"),
    path("api/", include(router.urls)),
]
