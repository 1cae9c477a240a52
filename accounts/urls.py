from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/", views.session, name="account_session"),
]
