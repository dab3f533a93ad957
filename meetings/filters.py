import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from asa_portal.forms import style_filter_widgets
from meetings.models import Meeting, WorkingGroup
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
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = meeting.answer_choices()
