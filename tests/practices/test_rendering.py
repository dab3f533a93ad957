"""Write-ups are rendered with a linear parser, once, when they are saved; bodies are
capped, and pages show the stored HTML."""

import importlib
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

from practices import services, text
from practices.models import MAX_BODY_LENGTH, Practice
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory

CONTENT = {"title": "Battery skills", "summary": "Short courses."}
FORM = {**CONTENT, "action": "save"}

# Inputs that made Python-Markdown's work grow with the square of their length.
PATHOLOGICAL = {
    "open brackets": lambda n: "[" * n,
    "nested images": lambda n: "![" * (n // 2),
    "nested links": lambda n: "[a](" * (n // 4),
    "bracket pairs": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "emphasis": lambda n: "*a_" * (n // 3),
    "mixed": lambda n: "[*`<a " * (n // 6),
}


def _cpu_seconds(text_to_render: str) -> float:
    """The best of three: CPU time of this process only, so other processes on the
    machine barely move it."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        text.render_markdown(text_to_render)
        best = min(best, time.process_time() - started)
    return best


def test_write_ups_are_rendered_by_markdown_it_with_commonmark():
    assert isinstance(text.PARSER, MarkdownIt)
    html = text.render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```")
    assert "<table>" in html
    assert "<pre><code>code" in html


@pytest.mark.parametrize("pattern", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_rendering_work_grows_linearly_on_pathological_input(pattern):
    # Four times the text: about four times the work when linear, sixteen when quadratic
    # (Python-Markdown's cost grew so, inside its regular expressions).
    small, large = _cpu_seconds(pattern(2048)), _cpu_seconds(pattern(8192))
    assert large < 8 * small


def test_a_body_over_the_cap_is_refused_by_the_model(region):
    practice = PracticeFactory.build(region=region, body="x" * (MAX_BODY_LENGTH + 1))
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "body" in error.value.message_dict


def test_pending_edits_over_the_cap_are_refused(representative, region):
    practice = PublishedPracticeFactory(region=region)
    with pytest.raises(ValidationError):
        services.practice_update(
            practice=practice, by=representative, data={"body": "x" * (MAX_BODY_LENGTH + 1)}
        )
    practice.refresh_from_db()
    assert practice.pending is None


@pytest.mark.parametrize("action", ["save", "preview"])
def test_the_write_page_refuses_a_body_over_the_cap_with_a_message_and_keeps_the_text(
    representative, region, client_for, monkeypatch, action
):
    rendered = []
    monkeypatch.setattr(MarkdownIt, "render", lambda self, src, env=None: rendered.append(src))
    body = "[" * (MAX_BODY_LENGTH + 1)
    response = client_for(representative).post(
        "/practices/new/", {**FORM, "region": region.pk, "body": body, "action": action}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"at most {MAX_BODY_LENGTH:,} characters long" in html
    assert body in html
    assert "Short courses." in html
    assert rendered == []
    assert not Practice.objects.exists()


def test_a_body_at_the_cap_is_saved(representative, region):
    practice = services.practice_create(
        region=region, by=representative, data={**CONTENT, "body": "x" * MAX_BODY_LENGTH}
    )
    assert len(practice.body) == MAX_BODY_LENGTH


def test_saving_stores_the_rendered_sanitised_body(representative, region):
    practice = services.practice_create(
        region=region, by=representative, data={**CONTENT, "body": "# Why\n\n<script>x</script>"}
    )
    practice.refresh_from_db()
    assert practice.body_html.startswith("<h2>Why</h2>")
    assert "<script" not in practice.body_html


def test_pending_edits_store_their_rendered_body_until_published(
    representative, secretariat, region
):
    practice = PublishedPracticeFactory(region=region, body="**Online**")
    services.practice_update(practice=practice, by=representative, data={"body": "*Next*"})
    practice.refresh_from_db()
    assert "<strong>Online</strong>" in practice.body_html
    assert "<em>Next</em>" in practice.pending_body_html
    services.practice_submit(practice=practice, by=representative)
    services.practice_publish(practice=practice, by=secretariat)
    practice.refresh_from_db()
    assert "<em>Next</em>" in practice.body_html
    assert practice.pending_body_html == ""


def test_the_pages_show_the_stored_html_without_rendering(
    representative, region, client_for, client, monkeypatch
):
    practice = PublishedPracticeFactory(region=region, body="**Online**")
    services.practice_update(practice=practice, by=representative, data={"body": "*Next*"})

    def refuse(self, src, env=None):
        raise AssertionError("a page rendered Markdown")

    monkeypatch.setattr(MarkdownIt, "render", refuse)
    editor_page = client_for(representative).get(practice.get_absolute_url())
    assert "<strong>Online</strong>" in editor_page.content.decode()
    assert "<em>Next</em>" in editor_page.content.decode()
    visitor_page = client.get(practice.get_absolute_url())
    assert "<strong>Online</strong>" in visitor_page.content.decode()
    for url in ("/practices/", region.get_absolute_url(), "/"):
        assert client.get(url).status_code == 200, url


def test_the_migration_renders_the_bodies_of_existing_practices(region):
    practice = PublishedPracticeFactory(region=region, body="**Old**")
    practice.pending = {"body": "*Pending*"}
    practice.save()
    Practice.objects.update(body_html="", pending_body_html="")
    migration = importlib.import_module("practices.migrations.0007_stored_rendered_body")
    migration.render_stored_bodies(apps, None)
    practice.refresh_from_db()
    assert "<strong>Old</strong>" in practice.body_html
    assert "<em>Pending</em>" in practice.pending_body_html
