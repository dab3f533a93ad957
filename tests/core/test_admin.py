"""Every admin page of the portal's apps, submitted as the browser submits it.

WebTest reads the form the admin rendered (hidden inputs, inline management forms, CSRF
token) and posts it back, so a test here fails where the secretariat's browser would.
The app-specific behaviour (review actions, agenda, clone, exports) is tested in
tests/<app>/test_admin.py; this file makes sure no admin page is left without a test:
`test_every_admin_of_the_portal_is_covered_here` fails when a new admin has no row.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from accounts.models import User
from meetings.models import AgendaItem, Attendance, Meeting, Registration, WorkingGroup
from meetings.registrations import registration_start
from practices.models import Attachment, Practice, PracticeReview
from regions.models import Indicator, Partner, Region, RegionMembership
from tests.adminpages import (
    changelist_action,
    errors_of,
    form_with,
    who_works_in,
    with_new_inline_rows,
)
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    BRUSSELS,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PublicConferenceFactory,
    WorkingGroupFactory,
)
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.factories.regions import (
    IndicatorFactory,
    MembershipFactory,
    PartnerFactory,
    RegionFactory,
)
from tests.practices.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

# The beat schedule is edited in the admin too (DESIGN.md).
OUR_APPS = {"accounts", "meetings", "practices", "regions", "django_celery_beat"}


def a_practice_with_an_attachment(**fields):
    from practices import services

    practice = PracticeFactory(**fields)
    services.attachment_add(
        practice=practice,
        by=UserFactory(is_superuser=True),
        upload=upload("plan.pdf", pdf_bytes()),
    )
    return practice


def a_submitted_practice_with_an_attachment():
    # Adding a file takes a submitted practice back to draft, so it is submitted after.
    practice = a_practice_with_an_attachment()
    Practice.objects.filter(pk=practice.pk).update(status=Practice.Status.SUBMITTED)
    return PracticeReview.objects.get(pk=practice.pk)


def a_meeting_with_an_agenda():
    meeting = MeetingFactory(
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
    )
    for n in (1, 2, 3):
        AgendaItemFactory(meeting=meeting, position=n, duration_minutes=30)
    return meeting


def a_region_with_people_and_figures():
    region = RegionFactory()
    MembershipFactory(region=region)
    IndicatorFactory(region=region)
    return region


def a_person_in_a_region():
    return MembershipFactory().user


def an_interval(every: int = 1):
    return IntervalSchedule.objects.create(every=every, period=IntervalSchedule.MINUTES)


def a_periodic_task(**fields):
    return PeriodicTask.objects.create(
        name=f"ping {PeriodicTask.objects.count()}",
        task="asa_portal.ping",
        interval=an_interval(),
        **fields,
    )


# One object of each kind, with rows in each of its inlines.
EXISTING = {
    Practice: lambda: a_practice_with_an_attachment(),
    PracticeReview: lambda: a_submitted_practice_with_an_attachment(),
    Meeting: a_meeting_with_an_agenda,
    AgendaItem: AgendaItemFactory,
    WorkingGroup: lambda: WorkingGroupFactory(members=[UserFactory()]),
    Attendance: AttendanceFactory,
    Registration: lambda: registration_start(
        meeting=PublicConferenceFactory(),
        data={"email": "claire.dubois@example.com", "first_name": "Claire", "answer": "online"},
        language="fr",
    ),
    Region: a_region_with_people_and_figures,
    Indicator: IndicatorFactory,
    Partner: PartnerFactory,
    User: a_person_in_a_region,
    PeriodicTask: a_periodic_task,
    IntervalSchedule: lambda: an_interval(IntervalSchedule.objects.count() + 5),
    CrontabSchedule: lambda: CrontabSchedule.objects.create(minute="30", hour="7"),
    SolarSchedule: lambda: SolarSchedule.objects.create(
        event="sunrise", latitude=f"{50 + SolarSchedule.objects.count()}.85", longitude="4.35"
    ),
    ClockedSchedule: lambda: ClockedSchedule.objects.create(
        clocked_time=dt.datetime(2099, 3, 25, 7, tzinfo=dt.UTC)
    ),
}
# Answers change through attendance_answer only; a registration waits for its address.
READ_ONLY = {Attendance, Registration}


def url_of(model, view: str = "changelist", *args) -> str:
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_admin_of_the_portal_is_covered_here():
    ours = {model for model in admin.site._registry if model._meta.app_label in OUR_APPS}
    assert ours == set(EXISTING), "add the new admin to EXISTING (and ADD) in this file"
    assert ours - READ_ONLY == set(ADD)


@pytest.mark.parametrize("model", EXISTING, ids=label)
def test_the_change_form_saves_unchanged_as_the_browser_submits_it(
    django_app, secretariat, superuser, model
):
    user = who_works_in(model, secretariat=secretariat, superuser=superuser)
    obj = EXISTING[model]()
    page = django_app.get(url_of(model, "change", obj.pk), user=user)
    assert page.status_code == 200
    if model in READ_ONLY:
        assert "_save" not in page.text
        return
    form = form_with(page, "_save")
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    assert saved["Location"] == url_of(model)
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", EXISTING, ids=label)
def test_the_list_and_the_history_open(django_app, secretariat, superuser, model):
    user = who_works_in(model, secretariat=secretariat, superuser=superuser)
    obj = model.objects.get(pk=EXISTING[model]().pk)  # as the database returns it
    assert str(obj)[:20] in django_app.get(url_of(model), user=user).text
    if model not in READ_ONLY or hasattr(model, "history"):
        history = django_app.get(url_of(model, "history", obj.pk), user=user).maybe_follow()
        assert history.status_code == 200


# Registrations awaiting confirmation go by themselves (the nightly removal), not by hand:
# tests/meetings/test_admin_registrations.py checks that nobody deletes them here.
DELETED_BY_HAND = [model for model in EXISTING if model is not Registration]


@pytest.mark.parametrize("model", DELETED_BY_HAND, ids=label)
def test_the_delete_action_asks_first_then_deletes(django_app, secretariat, superuser, model):
    user = who_works_in(model, secretariat=secretariat, superuser=superuser)
    obj = EXISTING[model]()
    kept = EXISTING[model]()
    asked = changelist_action(django_app, url_of(model), "delete_selected", [obj], user)
    assert asked.status_code == 200
    assert model.objects.filter(pk=obj.pk).exists()  # nothing happens before the answer
    done = form_with(asked, "post").submit()
    assert done.status_code == 302, errors_of(done)
    assert not model.objects.filter(pk=obj.pk).exists()
    assert model.objects.filter(pk=kept.pk).exists()


# -- add forms: what the secretariat types into each -------------------------------------


def fill(form, values: dict) -> None:
    for name, value in values.items():
        field = form[name]
        if hasattr(field, "force_value"):  # selects, autocompletes included
            field.force_value(value)
        else:
            field.value = value


def add_practice():
    return {"title": "Evening classes", "slug": "evening-classes",
            "region": str(RegionFactory().pk), "summary": "Courses."}, {}  # fmt: skip


def add_agenda_item():
    return {"meeting": str(a_meeting_with_an_agenda().pk), "title": "Welcome",
            "duration_minutes": "15", "kind": AgendaItem.Kind.WELCOME}, {}  # fmt: skip


def add_meeting():
    fields = {"title": "WG4 meeting", "slug": "wg4-meeting", "start_0": "2099-03-25",
              "start_1": "10:00", "end_0": "2099-03-25", "end_1": "13:00"}  # fmt: skip
    return fields, {"agenda_items": [{"title": "Welcome", "duration_minutes": "15"}]}


def add_working_group():
    member = UserFactory()
    return {"code": "WG9", "name": "Green skills", "members": [str(member.pk)]}, {}


def add_region():
    person = UserFactory()
    inlines = {
        "memberships": [{"user": str(person.pk), "role": RegionMembership.Role.REPRESENTATIVE}],
        "indicators": [
            {
                "kind": Indicator.Kind.EMPLOYMENT,
                "year": "2023",
                "value": "1200",
                "source": "Statistics office",
            }
        ],  # fmt: skip
    }
    return {"name": "Göteborg", "slug": "goteborg", "country": "SE"}, inlines


def add_indicator():
    return {"region": str(RegionFactory().pk), "kind": Indicator.Kind.EMPLOYMENT,
            "year": "2023", "value": "1200", "source": "Statistics office"}, {}  # fmt: skip


def add_partner():
    return {"acronym": "ERRIN", "name": "European Regions Research and Innovation Network",
            "slug": "errin"}, {}  # fmt: skip


def add_user():
    return {"email": "new@example.org", "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42"}, {}  # fmt: skip


ADD = {
    Practice: add_practice,
    PracticeReview: add_practice,
    Meeting: add_meeting,
    AgendaItem: add_agenda_item,
    WorkingGroup: add_working_group,
    Region: add_region,
    Indicator: add_indicator,
    Partner: add_partner,
    User: add_user,
    PeriodicTask: lambda: (
        {
            "name": "Ping the worker",
            "regtask": "asa_portal.ping",
            "interval": str(an_interval().pk),
        },
        {},
    ),  # fmt: skip
    IntervalSchedule: lambda: ({"every": "10", "period": IntervalSchedule.MINUTES}, {}),
    CrontabSchedule: lambda: (
        {
            "minute": "0",
            "hour": "6",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
        {},
    ),  # fmt: skip
    SolarSchedule: lambda: ({"event": "sunset", "latitude": "48.78", "longitude": "9.18"}, {}),
    ClockedSchedule: lambda: ({"clocked_time_0": "2099-03-25", "clocked_time_1": "07:00"}, {}),
}


@pytest.mark.parametrize("model", ADD, ids=label)
def test_the_add_form_saves_as_the_browser_submits_it(django_app, secretariat, superuser, model):
    user = who_works_in(model, secretariat=secretariat, superuser=superuser)
    values, inline_rows = ADD[model]()
    before = set(model.objects.values_list("pk", flat=True))
    url = url_of(model, "add")
    form = form_with(django_app.get(url, user=user), "_save")
    fill(form, values)
    pairs = list(form.submit_fields())
    for prefix, rows in inline_rows.items():
        pairs = with_new_inline_rows(pairs, prefix, rows)
    saved = django_app.post(url, params=[*pairs, ("_save", "Save")], user=user)
    assert saved.status_code == 302, errors_of(saved)
    new = model.objects.exclude(pk__in=before)
    assert new.count() == 1
    for prefix, rows in inline_rows.items():
        assert getattr(new.get(), prefix).count() == len(rows), prefix


def test_an_attachment_is_removed_through_the_practice_form(django_app, secretariat):
    practice = a_practice_with_an_attachment()
    page = django_app.get(url_of(Practice, "change", practice.pk), user=secretariat)
    form = form_with(page, "attachments-0-DELETE")
    form["attachments-0-DELETE"] = True
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    assert not Attachment.objects.filter(practice=practice).exists()


def test_a_published_practice_edited_in_the_admin_stays_online_as_it_was_until_published(
    django_app, secretariat, region
):
    # The site's rule (practice_update): the edit is the next version, a draft.
    practice = PublishedPracticeFactory(region=region, contact="Old contact")
    form = form_with(
        django_app.get(url_of(Practice, "change", practice.pk), user=secretariat), "_save"
    )
    form["contact"] = "Jana Novak"
    assert form.submit("_save").status_code == 302
    practice.refresh_from_db()
    assert (practice.status, practice.contact) == (Practice.Status.DRAFT, "Old contact")
    assert practice.pending["contact"] == "Jana Novak"


def test_the_admin_form_of_a_practice_with_pending_edits_shows_and_keeps_them(
    django_app, secretariat, region
):
    practice = PublishedPracticeFactory(region=region, title="Online title")
    practice.pending = {**practice.content(), "title": "Next title"}
    practice.save()
    form = form_with(
        django_app.get(url_of(Practice, "change", practice.pk), user=secretariat), "_save"
    )
    assert form["title"].value == "Next title"
    form["contact"] = "Jana Novak"
    assert form.submit("_save").status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.pending["title"]) == ("Online title", "Next title")
    assert practice.pending["contact"] == "Jana Novak"


def test_a_body_edited_in_the_admin_is_rendered_for_the_site(django_app, secretariat, region):
    practice = PracticeFactory(region=region, body="Old")
    form = form_with(
        django_app.get(url_of(Practice, "change", practice.pk), user=secretariat), "_save"
    )
    form["body"] = "Training for **electric** drivetrains."
    assert form.submit("_save").status_code == 302
    practice.refresh_from_db()
    assert "<strong>electric</strong>" in practice.body_html


def test_an_archived_practice_cannot_be_edited_in_the_admin(django_app, secretariat, region):
    practice = PublishedPracticeFactory(region=region, status=Practice.Status.ARCHIVED)
    page = django_app.get(url_of(Practice, "change", practice.pk), user=secretariat)
    assert "title" not in form_with(page, "_save").fields


RESTORABLE = [
    model
    for model in EXISTING
    if model not in READ_ONLY and model is not PracticeReview and hasattr(model, "history")
]


@pytest.mark.parametrize("model", RESTORABLE, ids=label)
def test_an_earlier_version_is_restored_from_the_history_as_the_browser_submits_it(
    django_app, secretariat, model
):
    obj = EXISTING[model]()
    first = obj.history.earliest()
    obj.save()  # a second version
    url = url_of(model, "simple_history", obj.pk, first.history_id)
    page = django_app.get(url, user=secretariat)
    restored = form_with(page, "_save").submit("_save")
    assert restored.status_code == 302, errors_of(restored)
    assert obj.history.count() == 3


@pytest.mark.parametrize(
    "action, enabled_before, enabled_after, message",
    [
        ("enable_tasks", False, True, "1 task was successfully enabled"),
        ("disable_tasks", True, False, "1 task was successfully disabled"),
        ("toggle_tasks", True, False, "1 task was successfully toggled"),
        ("run_tasks", True, True, "1 task was successfully run"),
    ],
)
def test_the_periodic_task_actions_work_as_posted_from_the_list(
    django_app, superuser, action, enabled_before, enabled_after, message
):
    task = a_periodic_task(enabled=enabled_before)
    page = changelist_action(django_app, url_of(PeriodicTask), action, [task], superuser)
    assert message in page.follow().text
    task.refresh_from_db()
    assert task.enabled is enabled_after


def test_the_secretariat_sets_a_persons_password_through_the_admin_form(django_app, secretariat):
    person = UserFactory()
    page = django_app.get(url_of(User, "change", person.pk), user=secretariat)
    form_page = page.click(href=r"password/$")  # the link beside the password hash
    form = form_with(form_page, "password1")
    form["password1"] = form["password2"] = "a new long pass phrase 42"
    saved = form.submit()
    assert saved.status_code == 302, errors_of(saved)
    person.refresh_from_db()
    assert person.check_password("a new long pass phrase 42")


@pytest.mark.parametrize("model", [Region, Partner], ids=label)
def test_a_website_typed_without_a_scheme_is_saved_as_https(django_app, secretariat, model):
    obj = EXISTING[model]()
    form = form_with(django_app.get(url_of(model, "change", obj.pk), user=secretariat), "_save")
    form["website"] = "www.example.eu"
    assert form.submit("_save").status_code == 302
    obj.refresh_from_db()
    assert obj.website == "https://www.example.eu"
