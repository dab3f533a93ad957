"""Fills the search column of existing practices; on PostgreSQL adds a full-text index.

The index is PostgreSQL's own (GIN over to_tsvector), so it is created here, for that
database only, rather than declared in Meta where SQLite would have to build it too.
Migration 0005 replaces it with an index on a stored tsvector column.
"""

from django.db import migrations

INDEX = "practice_search_gin"


def fill_search_text(apps, schema_editor):
    from practices.text import normalise

    Practice = apps.get_model("practices", "Practice")
    for practice in Practice.objects.select_related("region"):
        practice.search_text = normalise(
            " ".join([practice.title, practice.region.name, practice.summary, practice.body])
        )
        practice.save(update_fields=["search_text"])


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON practices_practice "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_attachment_pending_search_text")]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(add_index, drop_index),
    ]
