from django.urls import path

from field import office

urlpatterns = [
    path("", office.index, name="office"),
    path("<int:pk>/", office.detail, name="office-detail"),
    path("<int:pk>/review", office.review, name="office-review"),
    path("<int:pk>/resolve", office.resolve, name="office-resolve"),
    path("<int:pk>/photos/<str:sha>", office.photo, name="office-photo"),
]
