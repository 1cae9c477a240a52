from django.urls import path

from boundaries import api, views

app_name = "boundaries"
urlpatterns = [
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("api/lines/", api.line_list, name="api_lines"),
    path("api/lines/<uuid:uuid>/", api.line_detail, name="api_line"),
    path("api/due/", api.due, name="api_due"),
    path("api/campaigns/", api.campaign_list, name="api_campaigns"),
    path("api/campaigns/<uuid:uuid>/", api.campaign_detail, name="api_campaign"),
    path("api/campaigns/<uuid:uuid>/records/", api.record_save, name="api_records"),
    path("api/campaigns/<uuid:uuid>/findings/", api.finding_add, name="api_findings"),
    path("api/campaigns/<uuid:uuid>/report/", api.report_save, name="api_report"),
    path("api/campaigns/<uuid:uuid>/report/sign/", api.report_sign, name="api_report_sign"),
    path("api/records/<uuid:uuid>/sign/", api.record_sign, name="api_record_sign"),
    path("api/records/<uuid:uuid>/photos/", api.record_photo, name="api_record_photo"),
]
