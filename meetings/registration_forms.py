"""The public registration form of an event open to the public (meetings.registrations
keeps what it sends)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from asa_portal.validators import validate_single_line
from meetings.models import Meeting
from meetings.questions import question_fields, responses_from
from meetings.registrations import registration_answer_choices


def _country_choices() -> list[tuple[str, str]]:
    # Called for each form: the names in the page's language, in its order.
    return [("", gettext("Choose a country")), *countries]


class RegistrationForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_(
            "We send a link to this address: your registration counts once you follow it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    answer = forms.ChoiceField(label=_("How will you take part?"), widget=forms.RadioSelect)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        choices = registration_answer_choices(meeting)
        self.fields["answer"].choices = choices
        if len(choices) == 1:
            self.fields["answer"].initial = choices[0][0]
        self.questions = list(meeting.questions.all())
        self.fields.update(question_fields(self.questions))
        # The tick comes last, below the questions, where the form ends.
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree that the ASA keeps my registration as its privacy notice says."),
            help_text=format_html(
                '<a href="{}">{}</a>', reverse("privacy"), gettext("Read the privacy notice")
            ),
            error_messages={
                "required": _("Please agree to the privacy notice to register."),
            },
        )

    def registration_data(self) -> dict:
        """What registration_start keeps, from the valid form."""
        data = {
            name: self.cleaned_data[name]
            for name in ("first_name", "last_name", "email", "organisation", "country", "answer")
        }
        data["responses"] = responses_from(self.questions, self.cleaned_data)
        return data
