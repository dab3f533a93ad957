"""Parts of every page that are the same for every reader of a kind, rendered once per
process rather than on every page.

The static links, the footer, the section links and the language menu's choices depend
only on the templates, the language, who reads (may they write practices?) and which
page is open: nothing in the database. Rendering them anew took a fifth of a signed-in
page's time. Each variant is kept in the process: a deploy starts new processes, which
read the new templates and catalogues, and the development server's reloader forgets
them when a file changes.
"""

import functools

from django import template
from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def rendered_once(template_name: str) -> SafeString:
    """A template that depends on nothing but the language (the page's static links, its
    footer)."""
    return _rendered(template_name, get_language())


@register.simple_tag(takes_context=True)
def navigation_sections(context) -> SafeString:
    match = getattr(context.get("request"), "resolver_match", None)
    return _rendered(
        "_nav_sections.html",
        get_language(),
        can_write_practices=bool(context.get("can_write_practices")),
        section=match.namespace if match else "",
        url_name=match.url_name if match else "",
    )


@register.simple_tag
def language_options() -> SafeString:
    return _rendered("_language_options.html", get_language(), languages=tuple(settings.LANGUAGES))


@functools.lru_cache(maxsize=512)
def _rendered(template_name: str, language: str, **context) -> SafeString:
    # `language` is only the key: the template renders in the active one, which it is.
    return mark_safe(render_to_string(template_name, context))  # noqa: S308


@receiver(file_changed)
def _forget_on_change(**kwargs) -> None:
    _rendered.cache_clear()
