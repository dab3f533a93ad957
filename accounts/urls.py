from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views
from accounts.forms import EmailAuthenticationForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("profile/", views.profile, name="profile"),
    path("profile/data.json", views.account_export, name="account_export"),
    path("profile/close/", views.account_close, name="account_close"),
    path("closed/", views.account_closed, name="account_closed"),
    path("", include("django.contrib.auth.urls")),
]
