"""The public QR route, included at the site root: path("d/", include("doorplates.public_urls"))."""

from django.urls import path

from doorplates import views

urlpatterns = [
    path("<str:token>", views.public_plate, name="doorplate_public"),
]
