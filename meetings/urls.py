from django.urls import path

from meetings import checkin_views, own_registration_views, registration_views, rsvp, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/past/", views.meeting_past, name="past"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="detail"),
    path("meetings/<slug:slug>/register/", registration_views.register, name="register"),
    path(
        "meetings/<slug:slug>/register/confirm/<str:token>/",
        registration_views.register_confirm,
        name="register_confirm",
    ),
    path("meetings/<slug:slug>/calendar.ics", views.meeting_ics, name="ics"),
    path("meetings/<slug:slug>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("meetings/<slug:slug>/documents/<int:pk>/", views.agenda_document, name="document"),
    path("meetings/<slug:slug>/check-in/", checkin_views.checkin, name="checkin"),
    path(
        "meetings/<slug:slug>/registration/<str:token>/",
        own_registration_views.registration,
        name="registration",
    ),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_personal, name="calendar_personal"),
    path("rsvp/<str:token>/", rsvp.rsvp, name="rsvp"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<str:code>/", views.group_detail, name="group_detail"),
]
