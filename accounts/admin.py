from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import User
from regions.models import RegionMembership


class BouncingFilter(admin.SimpleListFilter):
    title = _("email address")
    parameter_name = "address"

    def lookups(self, request, model_admin):
        return [("bouncing", _("Bouncing")), ("ok", _("Not bouncing"))]

    def queryset(self, request, queryset):
        if self.value() == "bouncing":
            return queryset.filter(email_bouncing_since__isnull=False)
        if self.value() == "ok":
            return queryset.filter(email_bouncing_since__isnull=True)
        return queryset


class RegionMembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    # A bouncing address shows on the person's page and through the filter: one more
    # column would not fit a laptop screen.
    list_display = ["email", "first_name", "last_name", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups", BouncingFilter]
    readonly_fields = ["email_bouncing_since"]
    actions = ["address_works_again"]
    search_fields = ["email", "first_name", "last_name", "organisation"]
    inlines = [RegionMembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "email_bouncing_since", "password"]}),
        (
            _("Person"),
            {"fields": ["first_name", "last_name", "organisation", "language", "time_zone"]},
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data and obj.email_bouncing_since:
            # A corrected address: the emails that waited go out with the next sweep.
            services.address_works_again(people=[obj])
            obj.email_bouncing_since = None

    @admin.action(description=_("The address works again: send the emails that wait"))
    def address_works_again(self, request, queryset) -> None:
        count = services.address_works_again(people=list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(count)d address no longer marked as bouncing.",
                "%(count)d addresses no longer marked as bouncing.",
                count,
            )
            % {"count": count},
        )
