from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from practices.models import Practice


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "status", "published_at"]
    list_filter = ["status", "region"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["region"]
