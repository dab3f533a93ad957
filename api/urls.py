from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path("meetings/", views.MeetingList.as_view(), name="meeting-list"),
    path("meetings/past/", views.MeetingPastList.as_view(), name="meeting-past"),
    path("meetings/<slug:slug>/", views.MeetingDetail.as_view(), name="meeting-detail"),
    path("groups/", views.GroupList.as_view(), name="group-list"),
    path("groups/<str:code>/", views.GroupDetail.as_view(), name="group-detail"),
    path("regions/", views.RegionList.as_view(), name="region-list"),
    path("regions/<slug:slug>/", views.RegionDetail.as_view(), name="region-detail"),
    path("practices/", views.PracticeList.as_view(), name="practice-list"),
    path("practices/<slug:slug>/", views.PracticeDetail.as_view(), name="practice-detail"),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
]
