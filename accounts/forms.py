import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address; the address is matched without regard to case."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password do not match. Please try again.",
    }


def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone)
    return [("", f"The portal's time ({settings.TIME_ZONE})"), *((zone, zone) for zone in zones)]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        required=False,
        help_text="Meeting pages show an event's own time, and yours beside it when it differs.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "organisation", "time_zone", "meeting_reminders"]
