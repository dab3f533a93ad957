from collections.abc import Iterable

import django_filters
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from asa_portal.forms import style_filter_widgets
from meetings.models import Attendance, Meeting, Question, WorkingGroup
from meetings.questions import field_name, is_answered, question_fields, responses_from
from regions.models import Region


class MeetingFilter(django_filters.FilterSet):
    """The filters of /meetings/: plain GET parameters, so a filtered list has a URL."""

    working_group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        queryset=WorkingGroup.objects.all(),
        to_field_name="code",
        empty_label=_("All working groups"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Meeting.Kind.choices, empty_label=_("All kinds")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Meeting.Format.choices, empty_label=_("All formats")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Host region"),
        field_name="host_region",
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("All regions"),
    )

    class Meta:
        model = Meeting
        fields = ["working_group", "kind", "format", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_widgets(self.form)


class AnswerForm(forms.Form):
    """A member's answer, with the event's questions beside it. A required question is
    required unless the member declines, so no field says `required` to the browser:
    clean() asks for them, naming each."""

    answer = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the answers.")},
    )

    def __init__(self, *args, meeting: Meeting, questions: Iterable[Question] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = meeting.answer_choices()
        self.questions = list(questions)
        for name, field in question_fields(self.questions).items():
            field.required = False
            self.fields[name] = field
        for question in self.questions:
            if question.required:
                self.fields[field_name(question)].label = gettext("%(question)s (required)") % {
                    "question": question.text
                }

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[field_name(question)] for question in self.questions]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("answer") in (None, Attendance.Answer.DECLINED):
            return cleaned
        for question in self.questions:
            name = field_name(question)
            given = {str(question.pk): cleaned.get(name)}
            if question.required and name not in self.errors and not is_answered(question, given):
                self.add_error(name, gettext("Answer this question, or choose “I cannot attend”."))
        return cleaned

    def responses(self) -> dict:
        """The answers to the questions, as Attendance.responses keeps them."""
        return responses_from(self.questions, self.cleaned_data)
