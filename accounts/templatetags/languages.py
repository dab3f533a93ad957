"""The language menu's choices, for every page: the error pages too, which Django renders
without a request, and so without context processors."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_languages() -> list[tuple[str, str]]:
    """settings.LANGUAGES as written there: each language named in itself (Django's
    {% get_available_languages %} would translate "English" into the reader's language)."""
    return list(settings.LANGUAGES)
