"""The whole way of a practice, through the site and the admin as people use them."""

from django.core import mail

from accounts.services import secretariat_group_sync
from practices.models import Practice
from tests.practices.files import pdf_bytes, upload

CHANGELIST = "/admin/practices/practicereview/"


def test_a_practice_goes_from_the_region_to_the_public_through_review(
    region, representative, other_representative, secretariat, client_for,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # The fixture's group is created empty; the real one gets its permissions from this
    # (run by seed_demo and after migrate).
    secretariat_group_sync()
    stuttgart, admin, visitor = (
        client_for(representative),
        client_for(secretariat),
        client_for(None),
    )
    form = {
        "region": region.pk,
        "title": "Hydrogen skills for suppliers",
        "language": "en",
        "summary": "Courses on fuel cells for supplier staff.",
        "body": "## How\n\nEvening classes.",
        "theme_skills": "on",
        "transition_green": "on",
    }
    # The Stuttgart representative writes it with a PDF and submits it.
    response = stuttgart.post(
        "/practices/new/",
        {**form, "action": "submit", "attachments": upload("plan.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.status == Practice.Status.SUBMITTED
    assert practice.attachments.count() == 1
    assert visitor.get(practice.get_absolute_url()).status_code == 302  # not public yet

    # The secretariat returns it from the review queue with a comment.
    assert practice.title in admin.get(CHANGELIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = admin.post(
            CHANGELIST, {"action": "return_for_changes", "_selected_action": [practice.pk]}
        )
        assert "Comment" in asked.content.decode()
        admin.post(
            CHANGELIST,
            {
                "action": "return_for_changes",
                "_selected_action": [practice.pk],
                "apply": "1",
                "comment": "Please add the number of participants.",
            },
        )
    practice.refresh_from_db()
    assert practice.status == Practice.Status.RETURNED
    assert mail.outbox[-1].subject.startswith("Returned for changes")
    assert "number of participants" in mail.outbox[-1].body
    assert "number of participants" in stuttgart.get(practice.get_absolute_url()).content.decode()

    # The representative edits and resubmits.
    stuttgart.post(
        f"/practices/{practice.slug}/edit/",
        {**form, "results": "140 participants in 2024.", "action": "submit"},
    )
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED

    # The secretariat reads it and publishes the version it read.
    review = admin.get(f"{CHANGELIST}{practice.pk}/change/")
    version = review.context["version"]
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            CHANGELIST,
            {
                "action": "publish",
                "_selected_action": [practice.pk],
                f"version-{practice.pk}": version,
            },
        )
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    assert mail.outbox[-1].subject.startswith("Published:")
    assert mail.outbox[-1].to == [representative.email]
    assert len(mail.outbox) == 2

    # A visitor finds it by searching, and through the compare matrix.
    found = visitor.get("/practices/", {"q": "stuttgart"})
    assert practice in found.context["page_obj"]
    compare = visitor.get("/regions/compare/").content.decode()
    assert "/practices/?region=stuttgart&amp;theme=skills" in compare
    listed = visitor.get("/practices/?region=stuttgart&theme=skills")
    assert practice in listed.context["page_obj"]
    assert visitor.get(practice.attachments.get().get_absolute_url()).status_code == 200

    # The Košice representative cannot edit it.
    kosice = client_for(other_representative)
    assert kosice.get(f"/practices/{practice.slug}/edit/").status_code == 403
    kosice.post(f"/practices/{practice.slug}/edit/", {**form, "title": "Hijacked"})
    practice.refresh_from_db()
    assert practice.title == "Hydrogen skills for suppliers"
