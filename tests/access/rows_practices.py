"""Practices: published ones for everyone; the rest for their region and the secretariat."""

from django.core.files.base import ContentFile

from practices.models import Attachment
from tests.access.table import (
    Row,
    everyone,
    own_region_or_secretariat,
    representatives_or_secretariat,
)
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory


def _attach(practice) -> Attachment:
    attachment = Attachment(
        practice=practice,
        original_name="plan.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=20,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    attachment.save()
    return attachment


def build(world) -> None:
    world.published = PublishedPracticeFactory(region=world.region, slug="published-one")
    world.draft = PracticeFactory(region=world.region, slug="draft-one")
    world.published_file = _attach(world.published)
    world.draft_file = _attach(world.draft)


def _file(practice, attachment) -> str:
    return f"/practices/{practice.slug}/attachments/{attachment.pk}/"


ROWS = [
    Row("practices:list", lambda w: "/practices/", everyone()),
    Row("practices:list", lambda w: "/practices/?q=kosice&theme=skills", everyone(), note="(q)"),
    Row("practices:new", lambda w: "/practices/new/", representatives_or_secretariat()),
    Row("practices:detail", lambda w: "/practices/published-one/", everyone(), note="(published)"),
    Row(
        "practices:detail",
        lambda w: "/practices/draft-one/",
        own_region_or_secretariat(),
        note="(draft)",
    ),
    Row("practices:detail", lambda w: "/practices/no-such/", everyone(404), note="(unknown)"),
    Row("practices:edit", lambda w: "/practices/published-one/edit/", own_region_or_secretariat()),
    Row(
        "practices:edit",
        lambda w: "/practices/draft-one/edit/",
        own_region_or_secretariat(),
        method="post",
        note="(empty form: shown again with errors)",
    ),
    Row(
        "practices:attachment",
        lambda w: _file(w.published, w.published_file),
        everyone(),
        note="(published)",
    ),
    Row(
        "practices:attachment",
        lambda w: _file(w.draft, w.draft_file),
        own_region_or_secretariat(),
        note="(draft)",
    ),
]
