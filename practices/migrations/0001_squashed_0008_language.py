"""All of practices' migrations as one, for fresh installs (a database that has applied some
of them goes on with those; Django picks). It makes the final tables directly instead of
adding and relabelling fields one operation at a time, which had made a fresh `migrate`
take twice as long. The replaced data steps fill rows that an empty database does not
have; what remains is PostgreSQL's full-text index on the stored vector (0005's)."""

import asa_portal.validators
import django.contrib.postgres.search
import django.core.validators
import django.db.models.deletion
import practices.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models

SEARCH_INDEX = "practice_search_vector_gin"


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON practices_practice "
            "USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):

    replaces = [('practices', '0001_initial'), ('practices', '0002_attachment_pending_search_text'), ('practices', '0003_search_index'), ('practices', '0004_review_queue'), ('practices', '0005_search_vector'), ('practices', '0006_single_line_fields'), ('practices', '0007_stored_rendered_body'), ('practices', '0008_language')]

    initial = True

    dependencies = [
        ('regions', '0003_single_line_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Practice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='title')),
                ('slug', models.SlugField(max_length=200, unique=True, verbose_name='slug')),
                ('summary', models.TextField(max_length=1000, verbose_name='summary')),
                ('body', models.TextField(blank=True, help_text='Markdown.', max_length=20000, validators=[django.core.validators.MaxLengthValidator(20000)], verbose_name='description')),
                ('theme_skills', models.BooleanField(default=False, verbose_name='skills')),
                ('theme_education', models.BooleanField(default=False, verbose_name='education')),
                ('theme_employment', models.BooleanField(default=False, verbose_name='employment')),
                ('transition_green', models.BooleanField(default=False, verbose_name='green transition')),
                ('transition_digital', models.BooleanField(default=False, verbose_name='digital transition')),
                ('results', models.TextField(blank=True, verbose_name='results')),
                ('contact', models.CharField(blank=True, max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='contact')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('published', 'Published'), ('returned', 'Returned for changes'), ('archived', 'Archived')], default='draft', max_length=10, verbose_name='status')),
                ('review_comment', models.TextField(blank=True, verbose_name='review comment')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='practices', to='regions.region', verbose_name='region')),
                ('pending', models.JSONField(blank=True, editable=False, help_text='Edits of a published practice that wait for review.', null=True, verbose_name='pending edits')),
                ('search_text', models.TextField(blank=True, editable=False, help_text='Title, summary, body and region, normalised.', verbose_name='search text')),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('body_html', models.TextField(blank=True, editable=False)),
                ('pending_body_html', models.TextField(blank=True, editable=False)),
                ('language', models.CharField(choices=[('en', 'English'), ('de', 'Deutsch'), ('fr', 'Français'), ('nl', 'Nederlands'), ('sv', 'Svenska'), ('sk', 'Slovenčina')], default='en', help_text='The language the write-up is written in.', max_length=8, verbose_name='language')),
                ('summary_language', models.CharField(blank=True, choices=[('en', 'English'), ('de', 'Deutsch'), ('fr', 'Français'), ('nl', 'Nederlands'), ('sv', 'Svenska'), ('sk', 'Slovenčina')], help_text='Only if the summary is in another language than the write-up.', max_length=8, verbose_name='language of the summary')),
            ],
            options={
                'ordering': ['-published_at', 'title'],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'published', 'returned', 'archived'])), name='practice_status_valid')],
                'verbose_name': 'practice',
                'verbose_name_plural': 'practices',
            },
        ),
        migrations.CreateModel(
            name='PracticeReview',
            fields=[
            ],
            options={
                'verbose_name': 'practice to review',
                'verbose_name_plural': 'review queue',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('practices.practice',),
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=200, upload_to=practices.models.attachment_file_name, verbose_name='file')),
                ('original_name', models.CharField(help_text='Sanitised uploaded name.', max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='file name')),
                ('content_type', models.CharField(max_length=120, verbose_name='content type')),
                ('extension', models.CharField(max_length=10, verbose_name='extension')),
                ('size', models.PositiveBigIntegerField(verbose_name='size')),
                ('pending', models.BooleanField(default=False, verbose_name='pending')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('practice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='practices.practice', verbose_name='practice')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'ordering': ['uploaded_at', 'pk'],
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
            },
        ),
        migrations.CreateModel(
            name='HistoricalAttachment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('file', models.TextField(max_length=200, verbose_name='file')),
                ('original_name', models.CharField(help_text='Sanitised uploaded name.', max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='file name')),
                ('content_type', models.CharField(max_length=120, verbose_name='content type')),
                ('extension', models.CharField(max_length=10, verbose_name='extension')),
                ('size', models.PositiveBigIntegerField(verbose_name='size')),
                ('pending', models.BooleanField(default=False, verbose_name='pending')),
                ('uploaded_at', models.DateTimeField(blank=True, editable=False, verbose_name='uploaded at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('practice', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='practices.practice', verbose_name='practice')),
                ('uploaded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'historical attachment',
                'verbose_name_plural': 'historical attachments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPractice',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='title')),
                ('slug', models.SlugField(max_length=200, verbose_name='slug')),
                ('summary', models.TextField(max_length=1000, verbose_name='summary')),
                ('body', models.TextField(blank=True, help_text='Markdown.', max_length=20000, validators=[django.core.validators.MaxLengthValidator(20000)], verbose_name='description')),
                ('theme_skills', models.BooleanField(default=False, verbose_name='skills')),
                ('theme_education', models.BooleanField(default=False, verbose_name='education')),
                ('theme_employment', models.BooleanField(default=False, verbose_name='employment')),
                ('transition_green', models.BooleanField(default=False, verbose_name='green transition')),
                ('transition_digital', models.BooleanField(default=False, verbose_name='digital transition')),
                ('results', models.TextField(blank=True, verbose_name='results')),
                ('contact', models.CharField(blank=True, max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='contact')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('published', 'Published'), ('returned', 'Returned for changes'), ('archived', 'Archived')], default='draft', max_length=10, verbose_name='status')),
                ('review_comment', models.TextField(blank=True, verbose_name='review comment')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='region')),
                ('pending', models.JSONField(blank=True, editable=False, help_text='Edits of a published practice that wait for review.', null=True, verbose_name='pending edits')),
                ('language', models.CharField(choices=[('en', 'English'), ('de', 'Deutsch'), ('fr', 'Français'), ('nl', 'Nederlands'), ('sv', 'Svenska'), ('sk', 'Slovenčina')], default='en', help_text='The language the write-up is written in.', max_length=8, verbose_name='language')),
                ('summary_language', models.CharField(blank=True, choices=[('en', 'English'), ('de', 'Deutsch'), ('fr', 'Français'), ('nl', 'Nederlands'), ('sv', 'Svenska'), ('sk', 'Slovenčina')], help_text='Only if the summary is in another language than the write-up.', max_length=8, verbose_name='language of the summary')),
            ],
            options={
                'verbose_name': 'historical practice',
                'verbose_name_plural': 'historical practices',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='practice',
            index=models.Index(fields=['status', 'published_at'], name='practice_status_pub'),
        ),
        migrations.AddConstraint(
            model_name='practice',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['en', 'de', 'fr', 'nl', 'sv', 'sk']), ('summary_language__in', ['', 'en', 'de', 'fr', 'nl', 'sv', 'sk'])), name='practice_language_valid'),
        ),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
