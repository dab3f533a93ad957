from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("", views.region_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("compare.csv", views.compare_csv, name="compare_csv"),
    path("<slug:slug>/", views.region_detail, name="detail"),
    path("<slug:slug>/edit/", views.region_edit, name="edit"),
]
