import datetime as dt
import zoneinfo

import factory
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting, Question, WorkingGroup
from tests.factories.accounts import UserFactory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def in_days(days: int, hour: int = 10) -> dt.datetime:
    """A Brussels wall-clock time `days` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BRUSSELS)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"WG{n + 10}")
    name = factory.Sequence(lambda n: f"Working group {n}")
    mandate = "Brings the regions together."

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published, public, hybrid meeting three weeks ahead, 10:00–13:00 Brussels."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    kind = Meeting.Kind.WORKING_GROUP
    working_group = factory.SubFactory(WorkingGroupFactory)
    start = factory.LazyFunction(lambda: in_days(21))
    end = factory.LazyAttribute(lambda m: m.start + dt.timedelta(hours=3))
    time_zone = "Europe/Brussels"
    format = Meeting.Format.HYBRID
    venue = "Maison des Régions"
    address = "Rue Montoyer 10, Brussels"
    online_link = "https://meet.example.org/asa-wg"
    status = Meeting.Status.PUBLISHED
    visibility = Meeting.Visibility.PUBLIC

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.add(*extracted)


class DraftMeetingFactory(MeetingFactory):
    status = Meeting.Status.DRAFT


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    duration_minutes = 15
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = AgendaItem.Kind.PRESENTATION


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    answer = Attendance.Answer.ONLINE


class PublicConferenceFactory(MeetingFactory):
    """A conference open to registration without an account."""

    kind = Meeting.Kind.CONFERENCE
    working_group = None
    public_registration = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    meeting = factory.SubFactory(PublicConferenceFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Question {n}")
    kind = Question.Kind.TEXT
