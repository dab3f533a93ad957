"""Saving a published meeting in the admin says, in the messages that follow, what the
save sends: updates to those invited when the time or place changed, invitations to
people added after publishing, seats to those waiting."""

import pytest
from django.core import mail

from accounts.models import User
from meetings import services
from meetings.models import Attendance
from notifications.models import Notification
from tests.adminpages import errors_of
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, DraftMeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published():
    """A WG4 meeting published to Anna, Bert, Carla and Dan, where Dan declined; another
    published meeting of the same group beside it."""
    group = WorkingGroupFactory(code="WG4")
    people = [
        UserFactory(email=f"{name}@example.org") for name in ("anna", "bert", "carla", "dan")
    ]
    group.members.add(*people)
    meeting = DraftMeetingFactory(title="WG4 spring meeting", working_group=group)
    services.meeting_publish(meeting=meeting)
    services.meeting_publish(meeting=DraftMeetingFactory(title="WG4 autumn", working_group=group))
    AttendanceFactory(meeting=meeting, user=people[3], answer=Attendance.Answer.DECLINED)
    mail.outbox.clear()
    return meeting


def change_form(django_app, secretariat, meeting):
    page = django_app.get(f"/admin/meetings/meeting/{meeting.pk}/change/", user=secretariat)
    return page.forms["meeting_form"]


def messages_after(form) -> list[str]:
    response = form.submit("_save")
    assert response.status_code == 302, errors_of(response)
    page = response.follow()
    return [" ".join(li.get_text().split()) for li in page.html.select("ul.messagelist li")]


def test_a_change_of_time_says_how_many_participants_get_an_update(
    django_app, secretariat, published
):
    form = change_form(django_app, secretariat, published)
    form["start_1"] = "11:00"
    said = messages_after(form)
    assert said[1:] == ["3 participants will get an update."]
    updates = Notification.objects.filter(meeting=published, kind="update")
    assert updates.count() == 3  # Dan declined


def test_a_change_without_a_new_time_or_place_says_nothing_about_emails(
    django_app, secretariat, published
):
    form = change_form(django_app, secretariat, published)
    form["description"] = "More detail."
    said = messages_after(form)
    assert len(said) == 1 and "was changed successfully" in said[0]


def test_people_added_after_publishing_are_counted_as_new_invitations(
    django_app, secretariat, published
):
    eva, fritz = UserFactory(email="eva@example.org"), UserFactory(email="fritz@example.org")
    form = change_form(django_app, secretariat, published)
    # The autocomplete offers only what is chosen: the browser sends the ids.
    form["invitees"].options = [(str(p.pk), False, str(p)) for p in (eva, fritz)]
    form["invitees"] = [str(eva.pk), str(fritz.pk)]
    said = messages_after(form)
    assert said[1:] == ["2 new invitations will be sent."]


def test_a_new_place_and_new_people_in_one_save_say_both(django_app, secretariat, published):
    eva = UserFactory(email="eva@example.org")
    form = change_form(django_app, secretariat, published)
    form["venue"] = "Stuttgart town hall"
    form["invitees"].options = [(str(eva.pk), False, str(eva))]
    form["invitees"] = [str(eva.pk)]
    said = messages_after(form)
    assert said[1:] == ["3 participants will get an update.", "1 new invitation will be sent."]


def test_a_draft_changed_says_nothing_about_emails(django_app, secretariat):
    draft = DraftMeetingFactory(working_group=WorkingGroupFactory(members=[UserFactory()]))
    form = change_form(django_app, secretariat, draft)
    form["start_1"] = "11:00"
    said = messages_after(form)
    assert len(said) == 1 and "was changed successfully" in said[0]
    assert not Notification.objects.exists()


def test_a_raised_capacity_says_who_waiting_gets_a_seat(django_app, secretariat, published):
    published.capacity = 1
    published.save()
    anna, bert = (User.objects.get(email=f"{n}@example.org") for n in ("anna", "bert"))
    AttendanceFactory(meeting=published, user=anna, answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(
        meeting=published, user=bert, answer=Attendance.Answer.IN_PERSON, waitlisted=True
    )
    form = change_form(django_app, secretariat, published)
    form["capacity"] = "2"
    said = messages_after(form)
    assert said[1:] == ["1 person waiting gets a seat and will be told."]
