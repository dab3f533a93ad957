from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User, time_zone_choices
from accounts.services import APP_CODE_DIGITS, code_cleaned, guest_with_address


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


def profile_time_zone_choices(current: str = "") -> list[tuple[str, str]]:
    portal_time = gettext("The portal's time (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", portal_time), *time_zone_choices(current)]


class LanguageSelect(forms.Select):
    """Each option says which language its name is in, so a screen reader pronounces
    "Svenska" as Swedish."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["lang"] = value
        return option


class PersonAddForm(AdminUserCreationForm):
    """The admin's "add person" form. An address a guest registered for an event with is
    taken, but not by a member: the error says what to do instead of Django's "already
    exists" (the form keeps what was typed)."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if guest_with_address(email) is not None:
            raise forms.ValidationError(
                _(
                    "A guest registered for an event with this address: use the action "
                    "'Make members of these guests' on them instead."
                ),
                code="guest",
            )
        return email


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
        choices=profile_time_zone_choices,
        required=False,
        help_text=_(
            "Meeting pages show an event's own time, and yours beside it when it differs."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An old alias the profile holds (US/Eastern) stays in the menu, chosen.
        self.fields["time_zone"].choices = profile_time_zone_choices(self.instance.time_zone)

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


class AppCodeForm(forms.Form):
    """The code an authenticator app shows, to confirm it was set up."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        help_text=_("Six digits; a new code every 30 seconds."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = code_cleaned(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == APP_CODE_DIGITS):
            raise forms.ValidationError(_("The app's code is six digits, such as 123 456."))
        return code


class SecondStepForm(forms.Form):
    """The second step after the password: a code from the app or a recovery code."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=40,
        help_text=_("Six digits from the app, or one of your recovery codes (eight characters)."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = code_cleaned(self.cleaned_data["code"])
        if not code.isalnum():
            raise forms.ValidationError(
                _("Type the six digits from the app, or a recovery code of eight characters.")
            )
        return code
