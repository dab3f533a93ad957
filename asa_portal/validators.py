"""Validators that every app's models share."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Cc: C0/C1 controls (line feed, tab, NUL …); Zl/Zp: Unicode line and paragraph separators.
_NOT_ON_ONE_LINE = {"Cc", "Zl", "Zp"}


def validate_single_line(value: str) -> None:
    """Refuses line breaks and other control characters in one-line text (titles, venues,
    names): they would break email subjects, calendar files and CSV rows later."""
    if any(unicodedata.category(character) in _NOT_ON_ONE_LINE for character in value):
        raise ValidationError(
            _("Use one line of text, without line breaks, tabs or other control characters."),
            code="control_characters",
        )
