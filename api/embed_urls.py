from django.urls import path

from api import embed

app_name = "embed"

urlpatterns = [
    path("events/", embed.events, name="events"),
    path("events/theme.css", embed.theme, name="theme"),
]
