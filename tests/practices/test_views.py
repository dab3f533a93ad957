import pytest
from django.core.files.base import ContentFile

from practices import services
from practices.models import Attachment, Practice
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.factories.regions import RegionFactory
from tests.practices.files import docx_bytes, pdf_bytes, png_bytes, upload
from tests.services import require_postgresql

FORM = {
    "title": "Electromobility academy",
    "language": "en",
    "summary": "Courses for technicians.",
    "body": "## Approach\n\nHands-on.",
    "theme_skills": "on",
    "transition_green": "on",
}


def _new(client, region, files=(), action="save", **extra):
    data = {**FORM, "region": region.pk, "action": action, **extra}
    if files:
        data["attachments"] = list(files)
    return client.post("/practices/new/", data)


def test_a_representative_writes_a_draft_with_attachments(representative, region, client_for):
    files = [
        upload("plan.pdf", pdf_bytes()),
        upload("notes.docx", docx_bytes()),
        upload("c.png", png_bytes()),
    ]
    response = _new(client_for(representative), region, files)
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert practice.status == Practice.Status.DRAFT
    assert practice.attachments.count() == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"", "is empty"),
        ("plan.pdf", b"<html><script>alert(1)</script>", "not a file type we accept"),
        ("plan.pdf", png_bytes(), "its name ends in"),
        ("plan.pdf", pdf_bytes().replace(b"%%EOF", b""), "seems damaged"),
        ("C:plan.pdf", pdf_bytes(), "not a plain file name"),
    ],
)
def test_a_bad_file_is_refused_with_the_form_kept_and_nothing_saved(
    representative, region, client_for, name, content, message
):
    response = _new(client_for(representative), region, [upload(name, content)])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert FORM["title"] in response.content.decode()
    assert not Practice.objects.exists()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(representative, region, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    big = upload("plan.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024) + b"\n%%EOF\n")
    response = _new(client_for(representative), region, [big])
    assert "attachments may be up to 20 MB" in response.content.decode()
    assert not Practice.objects.exists()


def test_preview_shows_the_sanitised_description_and_saves_nothing(
    representative, region, client_for
):
    response = _new(
        client_for(representative), region, action="preview", body="**Bold** <script>x</script>"
    )
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>x" not in html
    assert not Practice.objects.exists()


def test_save_and_submit_sends_it_to_review(representative, region, client_for):
    _new(client_for(representative), region, action="submit")
    assert Practice.objects.get().status == Practice.Status.SUBMITTED


def test_a_representative_cannot_write_for_another_region(
    other_representative, region, client_for
):
    response = _new(client_for(other_representative), region)
    assert response.status_code == 200  # the region is not among the choices
    assert not Practice.objects.exists()


def test_a_representative_editing_another_regions_practice_gets_403_and_nothing_changes(
    other_representative, region, client_for
):
    practice = PublishedPracticeFactory(region=region, title="Original")
    response = client_for(other_representative).post(
        f"/practices/{practice.slug}/edit/", {**FORM, "action": "submit"}
    )
    practice.refresh_from_db()
    assert response.status_code == 403
    assert (practice.title, practice.pending, practice.status) == ("Original", None, "published")


def test_editing_a_published_practice_keeps_showing_the_published_version(
    representative, region, client_for
):
    practice = PublishedPracticeFactory(region=region, title="Original")
    client_for(representative).post(
        f"/practices/{practice.slug}/edit/", {**FORM, "action": "submit"}
    )
    public = client_for(None).get(f"/practices/{practice.slug}/").content.decode()
    mine = client_for(representative).get(f"/practices/{practice.slug}/").content.decode()
    assert "Original" in public and FORM["title"] not in public
    assert FORM["title"] in mine


def _attachment(practice, pending=False) -> Attachment:
    attachment = Attachment(
        practice=practice,
        original_name="plan <x>.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=10,
        pending=pending,
    )
    attachment.file.save("x.pdf", ContentFile(pdf_bytes()), save=False)
    attachment.save()
    return attachment


def test_an_attachment_downloads_with_safe_headers(region, client_for):
    attachment = _attachment(PublishedPracticeFactory(region=region))
    response = client_for(None).get(attachment.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_pending_attachment_of_a_published_practice_is_hidden_from_visitors(
    region, member, client_for
):
    attachment = _attachment(PublishedPracticeFactory(region=region), pending=True)
    assert client_for(member).get(attachment.get_absolute_url()).status_code == 403


def test_an_attachment_of_another_practice_is_not_found(region, client_for):
    attachment = _attachment(PublishedPracticeFactory(region=region))
    other = PublishedPracticeFactory(region=region)
    response = client_for(None).get(f"/practices/{other.slug}/attachments/{attachment.pk}/")
    assert response.status_code == 404


# Browse and search


def _titles(response) -> set[str]:
    return {practice.title for practice in response.context["page_obj"]}


@pytest.fixture
def demo_like(db):
    goteborg = RegionFactory(name="Göteborg", slug="goteborg", country="SE")
    kosice = RegionFactory(name="Košice", slug="kosice", country="SK")
    PublishedPracticeFactory(
        region=goteborg, title="Reskilling for electromobility", theme_skills=True
    )
    PublishedPracticeFactory(
        region=kosice,
        title="Dual education",
        theme_skills=False,
        theme_education=True,
        transition_green=False,
        transition_digital=True,
    )
    PracticeFactory(region=kosice, title="Košice draft")


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Kosice", "Dual education"),
        ("košice", "Dual education"),
        ("KOSICE", "Dual education"),
        ("goteborg", "Reskilling for electromobility"),
        ("Göteborg electromobility", "Reskilling for electromobility"),
        ("dual educ", "Dual education"),
    ],
)
def test_search_ignores_accents_and_case(demo_like, client, query, title):
    assert _titles(client.get("/practices/", {"q": query})) == {title}


def test_search_on_postgresql_ignores_accents_and_case(demo_like, client):
    require_postgresql()
    assert _titles(client.get("/practices/", {"q": "kosice"})) == {"Dual education"}
    assert _titles(client.get("/practices/", {"q": "GÖTEBORG"})) == {
        "Reskilling for electromobility"
    }


def test_search_never_finds_drafts(demo_like, client):
    assert _titles(client.get("/practices/", {"q": "draft"})) == set()


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"region": "kosice"}, {"Dual education"}),
        ({"country": "SE"}, {"Reskilling for electromobility"}),
        ({"theme": "education"}, {"Dual education"}),
        ({"transition": "green"}, {"Reskilling for electromobility"}),
        ({"region": "kosice", "theme": "skills"}, set()),
    ],
)
def test_filters_narrow_the_list(demo_like, client, params, titles):
    assert _titles(client.get("/practices/", params)) == titles


def test_the_year_filter_uses_the_year_of_publication(region, client):
    PublishedPracticeFactory(region=region, title="Old", published_at="2022-05-01T10:00Z")
    PublishedPracticeFactory(region=region, title="New", published_at="2024-05-01T10:00Z")
    assert _titles(client.get("/practices/", {"year": 2022})) == {"Old"}


def test_pagination_links_keep_the_filters(region, client):
    PublishedPracticeFactory.create_batch(25, region=region)
    html = client.get("/practices/", {"region": region.slug, "theme": "skills"}).content.decode()
    assert f"?region={region.slug}&amp;theme=skills&amp;page=2" in html


@pytest.mark.parametrize("count", [1, 500])
def test_the_practice_list_takes_the_same_queries_for_1_and_500_practices(
    count, region, client, django_assert_num_queries
):
    PublishedPracticeFactory.create_batch(count, region=region)
    with django_assert_num_queries(5):
        client.get("/practices/", {"theme": "skills"})


def test_the_published_practice_page_shows_its_region_and_body(region, client):
    practice = PublishedPracticeFactory(region=region, body="## Approach\n\nTraining.")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "<h3>Approach</h3>" in html or "<h2>Approach</h2>" in html
    assert region.name in html


def test_editors_see_the_status_and_an_edit_button(representative, region, client_for):
    practice = PracticeFactory(region=region)
    html = client_for(representative).get(practice.get_absolute_url()).content.decode()
    assert "Draft" in html
    assert f"/practices/{practice.slug}/edit/" in html


def test_visitors_see_no_edit_button(member, region, client_for):
    practice = PublishedPracticeFactory(region=region)
    html = client_for(member).get(practice.get_absolute_url()).content.decode()
    assert "/edit/" not in html


def test_the_slug_new_is_never_given_to_a_practice(representative, region):
    practice = services.practice_create(
        region=region, by=representative, data={"title": "New", "summary": "S."}
    )
    assert practice.slug != "new"


def test_a_renamed_region_finds_its_practices_by_the_new_name(client, region):
    practice = PublishedPracticeFactory(region=region, title="Transformation network")
    region.name = "Île-de-France"
    region.save()
    assert practice.get_absolute_url() in client.get("/practices/?q=ile de france").text
    assert practice.get_absolute_url() not in client.get("/practices/?q=stuttgart").text


def test_every_filter_of_the_practice_list_has_a_readable_label(client, db):
    page = client.get("/practices/").text
    for label in ["Search", "Region", "Country", "Theme", "Transition", "Year published"]:
        assert f">{label}</label>" in page
    assert "invalid name" not in page
