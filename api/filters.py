"""The site's own filters, with the API's bound on the search words."""

import django_filters
from django.conf import settings

from practices.filters import PracticeFilter

# Longer than any search anyone types; search_words reads at most 8 words of it anyway.
MAX_QUERY_LENGTH = 200


class PracticeSearch(PracticeFilter):
    """/practices/'s search and filters: the same words find the same practices."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words that must all occur, accents and case aside.",
    )

    language = django_filters.ChoiceFilter(
        choices=settings.LANGUAGES,
        help_text="The language the write-up is written in (en, de, fr, nl, sv or sk).",
    )

    def filter_year(self, queryset, name, value: int):
        # The type hint is for the OpenAPI description: the site's filter has none.
        return super().filter_year(queryset, name, value)
