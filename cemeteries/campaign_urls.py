"""The operations pages' routes, included by cemeteries.urls (under the cemeteries namespace)."""

from django.urls import path, re_path

from cemeteries import campaign_views as views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_dashboard, name="campaign"),
    path("campaigns/<int:pk>/burndown.json", views.campaign_burndown, name="campaign_burndown"),
    path("campaigns/<int:pk>/work-order/", views.campaign_work_order, name="work_order"),
    path("weekly.xlsx", views.weekly_xlsx, name="weekly_xlsx"),
    path("weekly.pdf", views.weekly_pdf, name="weekly_pdf"),
    re_path(r"^weekly/(?P<week_end>\d{4}-\d{2}-\d{2})\.(?P<fmt>xlsx|pdf)$", views.weekly_kept, name="weekly_kept"),
    path("report/", views.public_report, name="public_report"),
    path("report/thanks/", views.public_report_thanks, name="public_report_thanks"),
    path("reports/", views.report_queue, name="reports"),
    path("reports/<uuid:uuid>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:uuid>/photo", views.report_photo, name="report_photo"),
    path("api/reports/", views.crew_report_api, name="api_reports"),
]
