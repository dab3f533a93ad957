from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from regions.models import Partner, Region, RegionMembership


class MembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["acronym", "name", "website"]
    search_fields = ["acronym", "name"]
    prepopulated_fields = {"slug": ["acronym"]}
