from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import permissions, services
from accounts.forms import PersonAddForm
from accounts.models import User
from asa_portal.admin_labels import RowsNamed, SplitDateTime
from regions.models import RegionMembership

# django-otp's own lists would show each person's secret and recovery codes to every
# member of the secretariat; a person's second factor is theirs alone, and the people's
# list removes it when a phone is lost.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


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


class ClosedFilter(admin.SimpleListFilter):
    title = _("account")
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("closed", _("Closed")), ("open", _("Not closed"))]

    def queryset(self, request, queryset):
        if self.value() == "closed":
            return queryset.filter(closed_at__isnull=False)
        if self.value() == "open":
            return queryset.filter(closed_at__isnull=True)
        return queryset


class RegionMembershipInline(RowsNamed, admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    # The last sign-in and the day joined: their date and time inputs named.
    formfield_overrides = {models.DateTimeField: {"widget": SplitDateTime}}
    # A bouncing address shows on the person's page and through the filter: one more
    # column would not fit a laptop screen.
    list_display = ["email", "first_name", "last_name", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "is_guest", "groups", BouncingFilter, ClosedFilter]
    readonly_fields = ["guest", "email_bouncing_since", "closed_at", "second_factor"]
    add_form = PersonAddForm
    actions = [
        "make_members",
        "address_works_again",
        "lift_signin_pause",
        "close_accounts",
        "remove_second_factor",
    ]
    search_fields = ["email", "first_name", "last_name", "organisation"]
    inlines = [RegionMembershipInline]
    fieldsets = [
        (
            None,
            {"fields": ["email", "guest", "email_bouncing_since", "closed_at", "password"]},
        ),
        (
            _("Person"),
            {"fields": ["first_name", "last_name", "organisation", "language", "time_zone"]},
        ),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                    "second_factor",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The pickers of working groups' members, regions' people and a meeting's
        # invitees (autocomplete) offer no guest: guests registered for one public event.
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            queryset = queryset.filter(is_guest=False)
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data and obj.email_bouncing_since:
            # A corrected address: the emails that waited go out with the next sweep.
            services.address_works_again(people=[obj])
            obj.email_bouncing_since = None

    def has_make_members_permission(self, request) -> bool:
        return permissions.can_change_people(request.user)

    @admin.display(description=_("guest"))
    def guest(self, obj: User) -> str:
        # Why this person cannot sign in, for the secretariat (read only: the action on
        # the people list makes a member of a guest).
        if obj.pk and obj.is_guest:
            return gettext(
                "Yes: registered for an event without an account, so cannot sign in. "
                "The action 'Make members of these guests' on the people list makes them a "
                "member; then set their password here."
            )
        return gettext("No")

    @admin.action(description=_("Make members of these guests"), permissions=["make_members"])
    def make_members(self, request, queryset) -> None:
        done = services.guests_make_members(people=list(queryset))
        for person in done.made:
            self.log_change(request, person, gettext("Made a member of a guest."))
        if done.made:
            self.message_user(
                request,
                ngettext(
                    "%(count)d guest is a member now: set their password on their page so "
                    "that they can sign in.",
                    "%(count)d guests are members now: set their passwords on their pages so "
                    "that they can sign in.",
                    len(done.made),
                )
                % {"count": len(done.made)},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext("None of them was a guest who can become a member: nothing changed."),
                messages.WARNING,
            )
        if done.members_already:
            self.message_user(
                request,
                ngettext(
                    "%(count)d was a member already: left alone.",
                    "%(count)d were members already: left alone.",
                    done.members_already,
                )
                % {"count": done.members_already},
                messages.WARNING,
            )
        if done.closed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d account is closed or inactive: left alone.",
                    "%(count)d accounts are closed or inactive: left alone.",
                    done.closed,
                )
                % {"count": done.closed},
                messages.WARNING,
            )

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

    @admin.action(description=_("Lift the sign-in pause (after failed passwords)"))
    def lift_signin_pause(self, request, queryset) -> None:
        count = services.signin_pauses_lift(people=list(queryset))
        if not count:
            self.message_user(
                request,
                gettext("None of them had failed sign-ins: there was no pause to lift."),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d person can sign in again now.",
                "%(count)d people can sign in again now.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Close the selected accounts"))
    def close_accounts(self, request, queryset):
        """Asks first, on a page that names the people and the regions left without a
        representative; then closes each (accounts.services.account_close). Nobody closes
        their own account here: the profile asks for the password."""
        people = list(queryset.filter(closed_at__isnull=True).exclude(pk=request.user.pk))
        if "apply" in request.POST:
            closed, regions_left = 0, []
            for person in people:
                closure = services.account_close(user=person)
                closed += closure.closed
                regions_left += closure.regions_without_representative
            self.message_user(
                request,
                ngettext("%(count)d account closed.", "%(count)d accounts closed.", closed)
                % {"count": closed},
                messages.SUCCESS,
            )
            if regions_left:
                self.message_user(
                    request,
                    gettext("Without a representative now: %(regions)s.")
                    % {"regions": ", ".join(sorted(set(regions_left)))},
                    messages.WARNING,
                )
            return None
        rows = [
            {"person": person, "regions_left": services.regions_only_represented_by(person)}
            for person in people
        ]
        return TemplateResponse(
            request,
            "admin/accounts/user/close_accounts.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Close accounts"),
                "rows": rows,
                "left_out": queryset.count() - len(people),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description=_("second factor"))
    def second_factor(self, obj: User) -> str:
        if obj.pk and permissions.has_second_factor(obj):
            return gettext("An authenticator app, and recovery codes")
        return gettext("None: the password alone")

    @admin.action(description=_("Remove the second factor (a phone lost or replaced)"))
    def remove_second_factor(self, request, queryset) -> None:
        removed, refused = services.second_factor_remove(people=list(queryset), by=request.user)
        for person in refused:
            self.message_user(
                request,
                gettext(
                    "Your own second factor stays: another member of the secretariat removes "
                    "it, so that someone who has only your password cannot (%(person)s)."
                )
                % {"person": person.email},
                messages.WARNING,
            )
        for person in removed:
            self.log_change(request, person, gettext("Removed the second factor."))
        self.message_user(
            request,
            ngettext(
                "%(count)d person's second factor removed: they set up a new one on their "
                "next admin visit.",
                "%(count)d people's second factors removed: they set up new ones on their "
                "next admin visit.",
                len(removed),
            )
            % {"count": len(removed)},
        )
