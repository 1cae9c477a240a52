"""Routes of the census register (bulk load, checking, signs, campaigns) and the public gazetteer, included by
placenames.urls under the same namespace."""

from django.urls import path

from placenames import gazetteer
from placenames import registry_views as views

urlpatterns = [
    path("import/", views.import_file, name="import"),
    path("checking/", views.checking_queue, name="checking"),
    path("checking/<int:flag_id>/", views.checking_decide, name="checking_decide"),
    path("signs/", views.sign_list, name="signs"),
    path("signs/new/", views.sign_new, name="sign_new"),
    path("signs/<uuid:pk>/", views.sign_detail, name="sign"),
    path("signs/<uuid:pk>/act/", views.sign_act, name="sign_act"),
    path("signs/<uuid:pk>/photos/", views.sign_photo_add, name="sign_photo_add"),
    path("signs/<uuid:pk>/qr.svg", views.sign_qr, name="sign_qr"),
    path("places/<uuid:uuid>/photos/", views.place_photo_add, name="place_photo_add"),
    path("places/photos/<int:photo_id>/remove/", views.place_photo_remove, name="place_photo_remove"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/feedback/", views.campaign_feedback, name="campaign_feedback"),
    path("campaigns/<int:pk>/names/<int:sub_pk>/", views.campaign_submission, name="campaign_submission"),
    # public, no login
    path("g/", gazetteer.search, name="gazetteer"),
    path("g/<uuid:uuid>/", gazetteer.place_page, name="gazetteer_place"),
    path("s/<uuid:token>/", gazetteer.sign_landing, name="sign_landing"),
    path("g/photos/<int:photo_id>/", gazetteer.sign_photo, name="sign_photo"),
    path("g/place-photos/<int:photo_id>/", gazetteer.place_photo, name="place_photo"),
]
