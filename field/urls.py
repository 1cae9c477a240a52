from django.urls import include, path

app_name = "field"
urlpatterns = [
    path("api/v1/", include("field.api_urls")),
    path("office/", include("field.office_urls")),
    path("", include("field.page_urls")),
]
