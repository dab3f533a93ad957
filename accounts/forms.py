import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address; the address is matched without regard to case."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email address and password do not match. Please try again."),
    }


def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone)
    portal_time = gettext("The portal's time (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", portal_time), *((zone, zone) for zone in zones)]


class LanguageSelect(forms.Select):
    """Each option says which language its name is in, so a screen reader pronounces
    "Svenska" as Swedish."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["lang"] = value
        return option


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        # Each language named in itself, whatever the page's language.
        choices=settings.LANGUAGES,
        widget=LanguageSelect,
        required=False,
        help_text=_("The language of the portal and of the emails it sends you."),
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        required=False,
        help_text=_(
            "Meeting pages show an event's own time, and yours beside it when it differs."
        ),
    )

    def clean_language(self) -> str:
        # A form sent without the field (a page opened before it was added) keeps the
        # language the profile has.
        return self.cleaned_data["language"] or self.instance.language

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "organisation",
            "language",
            "time_zone",
            "meeting_reminders",
            "meeting_emails",
        ]


class AccountCloseForm(forms.Form):
    """Closing asks for the password, so a browser left signed in cannot close the
    account, and for a tick that says the person read what closing does."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed for good and cannot be reopened."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("That is not your password."), code="password")
        return password
