from django import forms
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


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "organisation", "time_zone"]
