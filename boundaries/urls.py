from django.urls import path

from boundaries import views

app_name = "boundaries"
urlpatterns = [
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
]
