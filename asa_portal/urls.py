from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts
from asa_portal import views
from dashboard import views as dashboard
from privacy import views as privacy

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for it on every page that names no icon (the admin's).
    path("favicon.ico", views.favicon, name="favicon"),
    # The language menu posts here. Django's set_language (django.conf.urls.i18n), wrapped:
    # it also saves a signed-in person's choice on the profile (accounts.views).
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("me/", dashboard.me, name="me"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("admin/", admin.site.urls),
    path("regions/", include("regions.urls")),
    path("practices/", include("practices.urls")),
    path("", include("meetings.urls")),
    # From the reminders' footer of emails (and List-Unsubscribe): no sign-in needed.
    path("reminders/off/<str:token>/", accounts.reminders_off, name="reminders_off"),
    path("emails/off/<str:token>/", accounts.meeting_emails_off, name="meeting_emails_off"),
    path("api/v1/", include("api.urls")),
    path("embed/", include("api.embed_urls")),
]

handler403 = "asa_portal.views.permission_denied"
