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


@register.simple_tag(takes_context=True)
def navigation_sections(context) -> SafeString:
    match = getattr(context.get("request"), "resolver_match", None)
    return _sections(
        get_language(),
        bool(context.get("can_write_practices")),
        match.namespace if match else "",
        match.url_name if match else "",
    )


@register.simple_tag
def language_options() -> SafeString:
    return _options(get_language())


@register.simple_tag
def rendered_once(template_name: str) -> SafeString:
    """A template that depends on nothing but the language (the page's static links, its
    footer), rendered once per process and language."""
    return _rendered(template_name, get_language())


@functools.lru_cache(maxsize=64)
def _rendered(template_name: str, language: str):
    return mark_safe(render_to_string(template_name))  # noqa: S308


@functools.lru_cache(maxsize=512)
def _sections(language: str, can_write_practices: bool, section: str, url_name: str):
    context = {"can_write_practices": can_write_practices, "section": section}
    context["url_name"] = url_name
    return mark_safe(render_to_string("_nav_sections.html", context))  # noqa: S308


@functools.lru_cache(maxsize=32)
def _options(language: str):
    context = {"languages": settings.LANGUAGES, "current_language": language}
    return mark_safe(render_to_string("_language_options.html", context))  # noqa: S308


@receiver(file_changed)
def _forget_on_change(**kwargs) -> None:
    _rendered.cache_clear()
    _sections.cache_clear()
    _options.cache_clear()
