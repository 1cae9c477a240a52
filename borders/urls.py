from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from borders import api, pages

# Mounted under /boundaries/ beside the areas' own urls (config/urls.py): the addresses did not change when
# lines, markers and joint inspections moved out of boundaries.
app_name = "borders"
urlpatterns = [
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
    path("api/photos/<int:pk>/", api.photo_file, name="api_photo"),
]
urlpatterns += [
    path("", login_required(RedirectView.as_view(pattern_name="borders:lines")), name="index"),  # the module's address
    path("lines/", pages.line_list, name="lines"),
    path("lines/<uuid:uuid>/", pages.line_detail, name="line"),
    path("lines/<uuid:uuid>/agreement-map/", pages.line_agreement_map, name="agreement_map"),
    path("lines/<uuid:uuid>/campaigns/new/", pages.campaign_new, name="campaign_new"),
    path("lines/<uuid:uuid>/<str:kind>.<str:fmt>", pages.line_output, name="output"),
    path("lines/<uuid:uuid>/disputes/", pages.dispute_add, name="dispute_add"),
    path("markers/sheet/", pages.marker_sheet, name="marker_sheet"),
    path("markers/<uuid:uuid>/", pages.marker_detail, name="marker"),
    path("markers/<uuid:uuid>/photos/", pages.marker_photo_add, name="marker_photo_add"),
    path("markers/photos/<int:pk>/", pages.marker_photo, name="marker_photo"),
    path("campaigns/<uuid:uuid>/", pages.campaign_detail, name="campaign"),
    path("campaigns/<uuid:uuid>/plan/", pages.campaign_plan, name="campaign_plan"),
    path("campaigns/<uuid:uuid>/records/", pages.record_save, name="record_save"),
    path("campaigns/<uuid:uuid>/findings/", pages.finding_add, name="finding_add"),
    path("campaigns/<uuid:uuid>/report/", pages.report_save, name="report_save"),
    path("campaigns/<uuid:uuid>/report/sign/", pages.report_sign, name="report_sign"),
    path("campaigns/<uuid:uuid>/filing/", pages.campaign_file, name="campaign_file"),
    path("campaigns/<uuid:uuid>/<str:kind>.<str:fmt>", pages.campaign_output, name="campaign_output"),
    path("records/<uuid:uuid>/sign/", pages.record_sign, name="record_sign"),
    path("topology/", pages.topology_report, name="topology"),
]
