"""The review actions and forms of the practices admin, submitted as the browser does.

The actions run in transactional tests: as in production, each request runs outside any
test transaction, so a lock taken outside a transaction fails here on PostgreSQL as it
does for the secretariat."""

import pytest
from django.core.exceptions import ValidationError

from practices import services
from practices.models import Practice
from tests.adminpages import changelist_action, errors_of, form_with
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.html_safety import executable_markup

PRACTICES = "/admin/practices/practice/"
QUEUE = "/admin/practices/practicereview/"

actions_run_outside_a_transaction = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(region):
    return PracticeFactory(region=region, status=Practice.Status.SUBMITTED)


@actions_run_outside_a_transaction
@pytest.mark.parametrize("url", [PRACTICES, QUEUE], ids=["practice list", "review queue"])
def test_the_publish_action_publishes_the_ticked_practices(django_app, secretariat, region, url):
    ticked = PracticeFactory.create_batch(2, region=region, status=Practice.Status.SUBMITTED)
    untouched = PracticeFactory(region=region, status=Practice.Status.SUBMITTED)
    page = changelist_action(django_app, url, "publish", ticked, secretariat).follow()
    assert "2 practices published." in page.text
    statuses = dict(Practice.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in ticked] == [Practice.Status.PUBLISHED] * 2
    assert statuses[untouched.pk] == Practice.Status.SUBMITTED


@actions_run_outside_a_transaction
def test_publishing_a_draft_in_the_list_warns_and_still_publishes_the_others(
    django_app, secretariat, submitted
):
    draft = PracticeFactory(region=submitted.region, title="Not ready")
    page = changelist_action(
        django_app, PRACTICES, "publish", [draft, submitted], secretariat
    ).follow()
    assert "“Not ready”: Only submitted practices can be published." in page.text
    assert "1 practice published." in page.text
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == (Practice.Status.PUBLISHED, Practice.Status.DRAFT)


@actions_run_outside_a_transaction
def test_the_archive_action_archives_a_published_practice(django_app, secretariat, region):
    practice = PublishedPracticeFactory(region=region)
    page = changelist_action(django_app, PRACTICES, "archive", [practice], secretariat).follow()
    assert "1 practice archived." in page.text
    practice.refresh_from_db()
    assert practice.status == Practice.Status.ARCHIVED


@actions_run_outside_a_transaction
@pytest.mark.parametrize("url", [PRACTICES, QUEUE], ids=["practice list", "review queue"])
def test_returning_for_changes_asks_for_a_comment_then_returns_the_practice(
    django_app, secretariat, submitted, url
):
    asked = changelist_action(django_app, url, "return_for_changes", [submitted], secretariat)
    assert asked.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Practice.Status.SUBMITTED  # nothing happens before the comment
    form = form_with(asked, "comment")
    form["comment"] = "Please add the number of participants."
    page = form.submit().follow()
    assert "1 practice returned." in page.text
    submitted.refresh_from_db()
    assert submitted.status == Practice.Status.RETURNED
    assert submitted.review_comment == "Please add the number of participants."


@actions_run_outside_a_transaction
def test_returning_without_a_comment_asks_again_and_changes_nothing(
    django_app, secretariat, submitted
):
    asked = changelist_action(django_app, QUEUE, "return_for_changes", [submitted], secretariat)
    again = form_with(asked, "comment").submit()
    assert again.status_code == 200
    assert "This field is required." in errors_of(again)
    submitted.refresh_from_db()
    assert submitted.status == Practice.Status.SUBMITTED


def test_the_change_form_saves_as_the_browser_submits_it(django_app, secretariat, submitted):
    page = django_app.get(f"{PRACTICES}{submitted.pk}/change/", user=secretariat)
    form = form_with(page, "title")
    form["title"] = "Hydrogen skills for suppliers"
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    submitted.refresh_from_db()
    assert submitted.title == "Hydrogen skills for suppliers"


def test_the_add_form_creates_a_practice_as_the_browser_submits_it(
    django_app, secretariat, region
):
    page = django_app.get(f"{PRACTICES}add/", user=secretariat)
    form = form_with(page, "title")
    form["title"] = "Evening classes"
    form["slug"] = "evening-classes"
    form["region"].force_value(str(region.pk))  # an autocomplete: its options come by script
    form["summary"] = "Courses for supplier staff."
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    assert Practice.objects.get(slug="evening-classes").region == region


def test_the_review_queue_change_form_saves_as_the_browser_submits_it(
    django_app, secretariat, submitted
):
    page = django_app.get(f"{QUEUE}{submitted.pk}/change/", user=secretariat)
    form = form_with(page, "title")
    form["contact"] = "Jana Novak"
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    submitted.refresh_from_db()
    assert submitted.contact == "Jana Novak"


def test_the_history_of_a_practice_opens_and_an_old_version_can_be_restored(
    django_app, secretariat, submitted
):
    first = submitted.history.earliest()
    submitted.title = "A later title"
    submitted.save()
    history = django_app.get(f"{PRACTICES}{submitted.pk}/history/", user=secretariat)
    assert history.status_code == 200
    page = django_app.get(
        f"{PRACTICES}{submitted.pk}/history/{first.history_id}/", user=secretariat
    )
    restored = form_with(page, "title").submit("_save")
    assert restored.status_code == 302, errors_of(restored)
    submitted.refresh_from_db()
    assert submitted.title == first.title


def write_up_on(page):
    shown = page.html.select_one(".field-write_up .readonly")
    assert shown is not None, "the change page shows no write-up"
    return shown


def test_the_review_queue_shows_the_write_up_rendered_not_its_markdown(
    django_app, secretariat, region
):
    practice = PracticeFactory(
        region=region,
        status=Practice.Status.SUBMITTED,
        body="## Approach\n\nTraining for **electric** drivetrains.",
    )
    page = django_app.get(f"{QUEUE}{practice.pk}/change/", user=secretariat)
    shown = write_up_on(page)
    assert (
        shown.select_one(".write-up-body h3").get_text() == "Approach"
    )  # headings start below the title
    assert shown.select_one("strong").get_text() == "electric"
    assert "**electric**" not in shown.get_text()


def test_the_rendered_write_up_in_the_review_queue_is_sanitised(django_app, secretariat, region):
    practice = PracticeFactory(
        region=region,
        status=Practice.Status.SUBMITTED,
        body='<script>alert("x")</script>\n\n[click](javascript:alert(1)) <b onclick="x()">b</b>',
    )
    shown = write_up_on(django_app.get(f"{QUEUE}{practice.pk}/change/", user=secretariat))
    assert executable_markup(str(shown)) == []


def test_the_review_queue_shows_the_pending_edits_as_they_will_be_published(
    django_app, secretariat, region
):
    practice = PublishedPracticeFactory(region=region, title="Old title", body="Old *body*")
    practice.pending = {**practice.content(), "title": "New title", "body": "New *body*"}
    practice.status = Practice.Status.SUBMITTED
    practice.save()
    shown = write_up_on(django_app.get(f"{QUEUE}{practice.pk}/change/", user=secretariat))
    assert shown.select_one("h2").get_text() == "New title"
    assert shown.select_one("em").get_text() == "body"
    assert "Old" not in shown.get_text()


def test_the_history_of_a_practice_in_the_review_queue_is_the_practices_history(
    django_app, secretariat, submitted
):
    history = django_app.get(f"{QUEUE}{submitted.pk}/history/", user=secretariat).follow()
    assert history.request.path == f"{PRACTICES}{submitted.pk}/history/"
    version = submitted.history.earliest()
    old = django_app.get(f"{QUEUE}{submitted.pk}/history/{version.history_id}/", user=secretariat)
    assert old.follow().status_code == 200


# -- the secretariat publishes the version it read ------------------


def review_page(django_app, secretariat, practice):
    return django_app.get(f"{QUEUE}{practice.pk}/change/", user=secretariat)


def resubmitted_meanwhile(practice, representative, title: str) -> None:
    services.practice_update(practice=practice, by=representative, data={"title": title})
    services.practice_submit(practice=practice, by=representative)


@actions_run_outside_a_transaction
def test_publish_on_the_review_page_publishes_the_version_shown(django_app, secretariat, region):
    practice = PracticeFactory(region=region, title="As read", status=Practice.Status.SUBMITTED)
    page = review_page(django_app, secretariat, practice)
    done = page.forms["publish-version"].submit()
    assert done["Location"] == QUEUE
    assert "1 practice published." in done.follow().text
    practice.refresh_from_db()
    assert (practice.status, practice.title) == (Practice.Status.PUBLISHED, "As read")


@actions_run_outside_a_transaction
def test_a_write_up_submitted_again_after_the_review_page_opened_is_not_published(
    django_app, secretariat, representative, region
):
    practice = PracticeFactory(region=region, title="As read", status=Practice.Status.SUBMITTED)
    page = review_page(django_app, secretariat, practice)
    resubmitted_meanwhile(practice, representative, "Not read")
    answer = page.forms["publish-version"].submit().follow()
    assert "The write-up changed since you opened it; read it again." in answer.text
    practice.refresh_from_db()
    assert (practice.status, practice.published_at) == (Practice.Status.SUBMITTED, None)


@actions_run_outside_a_transaction
def test_new_edits_of_a_published_practice_sent_again_meanwhile_stay_unpublished(
    django_app, secretariat, representative, region
):
    practice = PublishedPracticeFactory(region=region, title="Online")
    services.practice_update(practice=practice, by=representative, data={"title": "As read"})
    services.practice_submit(practice=practice, by=representative)
    page = review_page(django_app, secretariat, practice)
    resubmitted_meanwhile(practice, representative, "Not read")
    answer = page.forms["publish-version"].submit().follow()
    assert "The write-up changed since you opened it; read it again." in answer.text
    practice.refresh_from_db()
    assert (practice.title, practice.pending["title"]) == ("Online", "Not read")


@actions_run_outside_a_transaction
def test_a_write_up_edited_after_the_review_page_opened_is_refused_with_the_reason(
    django_app, secretariat, representative, region
):
    practice = PracticeFactory(region=region, title="As read", status=Practice.Status.SUBMITTED)
    page = review_page(django_app, secretariat, practice)
    services.practice_update(practice=practice, by=representative, data={"title": "Not read"})
    answer = page.forms["publish-version"].submit().follow()
    assert "The write-up changed since you opened it; read it again." in answer.text
    practice.refresh_from_db()
    assert (practice.status, practice.published_at) == (Practice.Status.DRAFT, None)


@actions_run_outside_a_transaction
@pytest.mark.parametrize("url", [PRACTICES, QUEUE], ids=["practice list", "review queue"])
def test_publishing_from_a_list_refuses_a_practice_submitted_again_since_it_was_listed(
    django_app, secretariat, representative, region, url
):
    practice = PracticeFactory(region=region, status=Practice.Status.SUBMITTED)
    listed = django_app.get(url, user=secretariat)
    resubmitted_meanwhile(practice, representative, "Not read")
    form = listed.forms["changelist-form"]
    form["action"] = "publish"
    form["_selected_action"] = [str(practice.pk)]
    answer = form.submit("index").follow()
    assert "The write-up changed since you opened it; read it again." in answer.text
    practice.refresh_from_db()
    assert practice.published_at is None


def test_publishing_without_the_version_read_is_refused(secretariat, region):
    practice = PracticeFactory(region=region, status=Practice.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.practice_publish(practice=practice, by=secretariat, version="2000-01-01")
    practice.refresh_from_db()
    assert practice.published_at is None


# -- the admin's forms go through the services ---------------------------------------------


def test_saving_and_continuing_in_the_queue_after_an_edit_goes_on_in_the_practices_admin(
    django_app, secretariat, submitted
):
    form = form_with(review_page(django_app, secretariat, submitted), "title")
    form["title"] = "Corrected title"
    saved = form.submit("_continue")
    assert saved["Location"] == f"{PRACTICES}{submitted.pk}/change/"
    page = saved.follow()
    assert "is back to draft, out of the review queue" in page.text
    assert "doesn't exist" not in page.text
    submitted.refresh_from_db()
    assert (submitted.title, submitted.status) == ("Corrected title", Practice.Status.DRAFT)


def test_saving_the_queue_form_unchanged_keeps_the_practice_in_the_queue(
    django_app, secretariat, submitted
):
    saved = form_with(review_page(django_app, secretariat, submitted), "title").submit("_continue")
    assert saved["Location"] == f"{QUEUE}{submitted.pk}/change/"
    submitted.refresh_from_db()
    assert submitted.status == Practice.Status.SUBMITTED


@actions_run_outside_a_transaction
def test_the_submit_action_sends_the_secretariats_edit_to_the_queue(
    django_app, secretariat, region
):
    practice = PracticeFactory(region=region)
    page = changelist_action(django_app, PRACTICES, "submit", [practice], secretariat).follow()
    assert "1 practice submitted for review." in page.text
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED


def test_saving_an_edit_in_the_queue_goes_back_to_the_queue_and_says_it_left(
    django_app, secretariat, submitted
):
    form = form_with(review_page(django_app, secretariat, submitted), "title")
    form["title"] = "Corrected title"
    saved = form.submit("_save")
    assert saved["Location"] == QUEUE
    assert "is back to draft, out of the review queue" in saved.follow().text


def test_a_practice_added_in_the_queue_with_save_and_continue_opens_among_all_practices(
    django_app, secretariat, region
):
    form = form_with(django_app.get(f"{QUEUE}add/", user=secretariat), "title")
    form["title"] = "Evening classes"
    form["slug"] = "evening-classes"
    form["region"].force_value(str(region.pk))
    form["summary"] = "Courses for supplier staff."
    saved = form.submit("_continue")
    practice = Practice.objects.get(slug="evening-classes")
    assert saved["Location"] == f"{PRACTICES}{practice.pk}/change/"
    assert "not in the review queue" in saved.follow().text
