from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.paginator import Page
from django.http import HttpRequest, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The years a list may be narrowed to by date (the date hierarchy). Far wider than any
# meeting or email, and far enough from years 1 and 9999 that a year's end moved into a
# time zone or to the next year never overflows Python's dates.
FIRST_LIST_YEAR, LAST_LIST_YEAR = 1000, 9000
# An autocomplete search is a few words of a name; each word adds a condition on every
# search field, so a pasted page of text would be an expensive query for nothing.
LONGEST_AUTOCOMPLETE_TERM = 100
LAST_AUTOCOMPLETE_PAGE = 10_000


def date_lookup_problem(query: QueryDict) -> str | None:
    """Why the `<field>__year/__month/__day` parameters of an admin address (the date
    hierarchy's links) name no date a list can show, or None. Django answers a year such
    as 99999 or "abc" with its "database error" page, and year 9999 with a 500."""
    parts = {}
    for key, value in query.items():
        field, _, part = key.rpartition("__")
        if field and part in {"year", "month", "day"}:
            if not value.isascii() or not value.isdigit() or len(value) > 4:
                return {
                    "year": gettext("“%(value)s” is not a year."),
                    "month": gettext("“%(value)s” is not a month."),
                    "day": gettext("“%(value)s” is not a day."),
                }[part] % {"value": value}
            parts.setdefault(field, {})[part] = int(value)
    for given in parts.values():
        year = given.get("year", 2000)
        if not FIRST_LIST_YEAR <= year <= LAST_LIST_YEAR:
            return gettext("Lists go by years from %(first)s to %(last)s, not %(year)s.") % {
                "first": FIRST_LIST_YEAR,
                "last": LAST_LIST_YEAR,
                "year": year,
            }
        try:
            dt.date(year, given.get("month", 1), given.get("day", 1))
        except ValueError:
            return gettext(
                "There is no such date: a month goes from 1 to 12, a day to the month's last."
            )
    return None


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, answering a page number that is not one with a 400 and a
    page past the last with no results (Django answers both with a 404 page), and
    refusing a search term longer than a name."""

    def get(self, request, *args, **kwargs):
        page = request.GET.get(self.page_kwarg) or "1"
        if not (page.isascii() and page.isdigit() and 1 <= int(page) <= LAST_AUTOCOMPLETE_PAGE):
            return JsonResponse(
                {"error": gettext("“%(page)s” is not a page number.") % {"page": page[:20]}},
                status=400,
            )
        if len(request.GET.get("term", "")) > LONGEST_AUTOCOMPLETE_TERM:
            return JsonResponse(
                {
                    "error": gettext("Search for at most %(count)s characters.")
                    % {"count": LONGEST_AUTOCOMPLETE_TERM}
                },
                status=400,
            )
        self.page_number = int(page)
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        if self.page_number > paginator.num_pages:
            return paginator, Page([], self.page_number, paginator), [], False
        page = paginator.page(self.page_number)
        return paginator, page, page.object_list, page.has_other_pages()


class PortalAdminSite(admin.AdminSite):
    """The secretariat's workplace: only the secretariat may enter."""

    site_header = _("ASA Portal: secretariat")
    site_title = _("ASA Portal admin")
    index_title = _("The secretariat's workplace")

    # The secretariat's daily work first, in this order (meetings, practices to review,
    # people and regions, email); the technical apps (sign-in attempts, periodic tasks)
    # after them.
    WORK_ORDER = ["meetings", "practices", "accounts", "regions", "notifications", "inbound"]
    # Within an app, the lists used most come first.
    FIRST_MODELS = {
        "practices": ["PracticeReview"],
        "meetings": ["Meeting", "Attendance", "Registration"],
    }

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        order = {label: position for position, label in enumerate(self.WORK_ORDER)}
        apps.sort(key=lambda app: (order.get(app["app_label"], len(order)), app["name"]))
        for app in apps:
            first = self.FIRST_MODELS.get(app["app_label"], [])
            app["models"].sort(
                key=lambda model: (
                    first.index(model["object_name"]) if model["object_name"] in first else 99
                )
            )
        return apps

    # The home page offers the second factor to whoever has none.
    index_template = "admin/portal_index.html"
    # Admin pages that open before the second step: setting it up, the step itself, and
    # signing out.
    BEFORE_SECOND_STEP = {"second_factor", "second_factor_verify", "logout"}

    def has_permission(self, request) -> bool:
        from accounts.permissions import is_secretariat  # the app registry loads this module

        return is_secretariat(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        """The technical apps' lists (accounts.permissions.TECHNICAL_ADMIN_APPS) open to
        superusers only, whatever permissions a group holds: the secretariat sees them
        neither on the home page nor at their addresses (403)."""
        from accounts.permissions import TECHNICAL_ADMIN_APPS

        models = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        if any(model._meta.app_label in TECHNICAL_ADMIN_APPS for model in models):
            base = admin_class or admin.ModelAdmin
            admin_class = type(base.__name__, (SuperusersOnly, base), {})
        return super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        from accounts import views  # the app registry loads this module

        return [
            path("second-factor/", self.admin_view(views.second_factor), name="second_factor"),
            path(
                "second-factor/verify/",
                self.admin_view(views.second_factor_verify),
                name="second_factor_verify",
            ),
            path(
                "second-factor/recovery-codes/",
                self.admin_view(views.recovery_codes),
                name="recovery_codes",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        from accounts.permissions import has_second_factor

        extra_context = {
            **(extra_context or {}),
            "offer_second_factor": not has_second_factor(request.user),
        }
        return super().index(request, extra_context)

    def admin_view(self, view, cacheable=False):
        """Every admin page (after the sign-in check) waits for the second step where the
        person must pass it (accounts.permissions.admin_second_step), and refuses a date
        in its address that no list can show, with a 400 page that says why."""

        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs):
            step = self._second_step(request)
            if step is not None:
                return step
            problem = date_lookup_problem(request.GET)
            if problem is None:
                return view(request, *args, **kwargs)
            context = {
                **self.each_context(request),
                "title": gettext("No such date"),
                "problem": problem,
            }
            return TemplateResponse(request, "admin/bad_date.html", context, status=400)

        return super().admin_view(checked, cacheable)

    def _second_step(self, request: HttpRequest):
        """The way to the second step (or to setting it up) when this page must wait for
        it, with the page asked for as `next`; None when it may open."""
        from accounts.permissions import SET_UP, admin_second_step

        match = request.resolver_match
        if match is not None and match.url_name in self.BEFORE_SECOND_STEP:
            return None
        step = admin_second_step(request.user)
        if step is None:
            return None
        url_name = "admin:second_factor" if step == SET_UP else "admin:second_factor_verify"
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")

    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)


class SuperusersOnly:
    """Mixed into a technical app's ModelAdmin by PortalAdminSite.register."""

    def _allowed(self, request: HttpRequest) -> bool:
        from accounts.permissions import can_see_technical_admin

        return can_see_technical_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return self._allowed(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request) and super().has_delete_permission(request, obj)


class PortalAdminConfig(AdminConfig):
    default_site = "asa_portal.admin_site.PortalAdminSite"


class LogAdmin(admin.ModelAdmin):
    """A log the portal writes (the delivery log, the emails received): the secretariat
    reads it and acts on it through its actions, and never adds, edits or deletes a row."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
