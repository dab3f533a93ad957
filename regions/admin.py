from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from asa_portal.admin_labels import RowsNamed
from regions.models import Indicator, Partner, Region, RegionMembership


class MembershipInline(RowsNamed, admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["user"]


class IndicatorInline(RowsNamed, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["kind", "year", "value", "unit", "source"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["region", "kind", "year", "value", "unit", "source"]
    list_filter = ["kind", "year", "region"]
    search_fields = ["region__name", "source"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, IndicatorInline]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["acronym", "name", "website"]
    search_fields = ["acronym", "name"]
    prepopulated_fields = {"slug": ["acronym"]}
