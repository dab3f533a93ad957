import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from asa_portal.forms import style_filter_widgets
from practices.forms import LanguageSelect
from practices.models import THEMES, TRANSITIONS, Practice
from practices.search import search_published
from regions.models import Region


def country_choices() -> list[tuple[str, str]]:
    codes = set(Region.objects.values_list("country", flat=True).distinct())
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


def year_choices() -> list[tuple[int, int]]:
    dates = Practice.objects.published().dates("published_at", "year", order="DESC")
    return [(d.year, d.year) for d in dates]


class PracticeFilter(django_filters.FilterSet):
    """The filters and search box of /practices/; every value lives in the URL."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. electromobility")}),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.only("slug", "name"),
        to_field_name="slug",
        empty_label=_("All regions"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="region__country",
        choices=country_choices,
        empty_label=_("All countries"),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"),
        choices=list(THEMES.items()),
        method="filter_flag",
        empty_label=_("All themes"),
    )
    transition = django_filters.ChoiceFilter(
        label=_("Transition"),
        choices=list(TRANSITIONS.items()),
        method="filter_flag",
        empty_label=_("Any transition"),
    )
    # The language the write-up is written in, each named in itself (as in the language
    # menu): a reader looks for the languages they read.
    language = django_filters.ChoiceFilter(
        label=_("Written in"),
        choices=settings.LANGUAGES,
        empty_label=_("Any language"),
        widget=LanguageSelect,
    )
    year = django_filters.ChoiceFilter(
        label=_("Year published"),
        choices=year_choices,
        method="filter_year",
        empty_label=_("Any year"),
    )

    class Meta:
        model = Practice
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_widgets(self.form)

    def filter_search(self, queryset, name, value):
        return search_published(queryset, value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(published_at__year=int(value))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(Q(**{f"{name}_{value}": True}))
