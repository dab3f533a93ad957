from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("reminders/off/<str:token>/", views.reminders_off, name="reminders_off"),
]
