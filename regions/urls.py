from django.urls import path

from asa_portal.cache import public_page
from regions import views

app_name = "regions"

urlpatterns = [
    path("", public_page(views.region_list), name="list"),
    path("compare/", public_page(views.compare), name="compare"),
    path("compare.csv", public_page(views.compare_csv), name="compare_csv"),
    path("<slug:slug>/", public_page(views.region_detail), name="detail"),
    path("<slug:slug>/edit/", views.region_edit, name="edit"),
]
