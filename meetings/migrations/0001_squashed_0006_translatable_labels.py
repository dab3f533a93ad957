"""All of meetings' migrations as one, for fresh installs (a database that has applied some
of them goes on with those; Django picks). It makes the final tables directly instead of
adding and relabelling fields one operation at a time, which had made a fresh `migrate`
take twice as long."""

import accounts.models
import asa_portal.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import meetings.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('meetings', '0001_initial'), ('meetings', '0002_agenda_item_longest_duration'), ('meetings', '0003_single_line_fields'), ('meetings', '0004_meeting_invitees'), ('meetings', '0005_meeting_minutes'), ('meetings', '0006_translatable_labels')]

    initial = True

    dependencies = [
        ('practices', '0007_stored_rendered_body'),
        ('regions', '0003_single_line_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkingGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Short code used in addresses, for example WG4.', max_length=10, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9]+$', 'Letters and digits only, for example WG4.')], verbose_name='code')),
                ('name', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='name')),
                ('mandate', models.TextField(blank=True, verbose_name='mandate')),
                ('members', models.ManyToManyField(blank=True, related_name='working_groups', to=settings.AUTH_USER_MODEL, verbose_name='members')),
            ],
            options={
                'ordering': ['code'],
                'verbose_name': 'working group',
                'verbose_name_plural': 'working groups',
            },
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='title')),
                ('slug', models.SlugField(max_length=200, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('wg_meeting', 'Working group meeting'), ('study_visit', 'Study visit'), ('conference', 'Conference'), ('webinar', 'Webinar')], default='wg_meeting', max_length=20, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('start', models.DateTimeField(help_text="Local time in the event's time zone.", verbose_name='start')),
                ('end', models.DateTimeField(help_text="Local time in the event's time zone.", verbose_name='end')),
                ('time_zone', models.CharField(default='Europe/Brussels', help_text='IANA name of the zone the event happens in, for example Europe/Brussels.', max_length=64, validators=[accounts.models.validate_time_zone], verbose_name='time zone')),
                ('format', models.CharField(choices=[('in_person', 'In person'), ('online', 'Online'), ('hybrid', 'Hybrid')], default='in_person', max_length=10, verbose_name='format')),
                ('venue', models.CharField(blank=True, max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='venue')),
                ('address', models.CharField(blank=True, max_length=300, validators=[asa_portal.validators.validate_single_line], verbose_name='address')),
                ('online_link', models.URLField(blank=True, help_text='Shown to signed-in members only, never to the public.', validators=[asa_portal.validators.validate_single_line], verbose_name='online link')),
                ('capacity', models.PositiveIntegerField(blank=True, help_text='In-person seats; empty for no limit.', null=True, verbose_name='capacity')),
                ('registration_deadline', models.DateTimeField(blank=True, help_text='Empty: answers are taken until the event ends.', null=True, verbose_name='registration deadline')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('cancelled', 'Cancelled')], default='draft', max_length=10, verbose_name='status')),
                ('visibility', models.CharField(choices=[('public', 'Public'), ('members', 'Members only')], default='public', max_length=10, verbose_name='visibility')),
                ('reminder_hours', models.JSONField(default=meetings.models.default_reminder_hours, help_text='Reminders, in hours before the start: [168, 24] is 7 days and 1 day.', validators=[meetings.models.validate_reminder_hours], verbose_name='reminder hours')),
                ('sequence', models.PositiveIntegerField(default=0, editable=False, help_text='Rises when the time or place changes.', verbose_name='sequence')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('host_region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='hosted_meetings', to='regions.region', verbose_name='host region')),
                ('partners', models.ManyToManyField(blank=True, related_name='meetings', to='regions.partner', verbose_name='co-organisers')),
                ('working_group', models.ForeignKey(blank=True, help_text='Empty for events of the whole alliance, such as a conference.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='meetings.workinggroup', verbose_name='working group')),
                ('invite_all_members', models.BooleanField(default=False, help_text='Invite every member of the portal (for a conference).', verbose_name='invite all members')),
                ('invited_groups', models.ManyToManyField(blank=True, help_text='Everyone of these working groups is invited.', related_name='invited_to', to='meetings.workinggroup', verbose_name='invited working groups')),
                ('invited_regions', models.ManyToManyField(blank=True, help_text='Everyone of these regions is invited.', related_name='invited_to', to='regions.region', verbose_name='invited regions')),
                ('invitees', models.ManyToManyField(blank=True, help_text="People invited besides the working group's members.", related_name='invited_to', to=settings.AUTH_USER_MODEL, verbose_name='invited people')),
                ('minutes', models.TextField(blank=True, help_text='Markdown. Members read them on the meeting page, under Minutes and documents.', max_length=30000, validators=[django.core.validators.MaxLengthValidator(30000)], verbose_name='minutes')),
                ('minutes_html', models.TextField(blank=True, editable=False)),
            ],
            options={
                'ordering': ['start', 'pk'],
                'verbose_name': 'meeting',
                'verbose_name_plural': 'meetings',
            },
        ),
        migrations.CreateModel(
            name='AgendaItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(blank=True, default=0, verbose_name='position')),
                ('start_time', models.TimeField(blank=True, help_text='Only to fix a time (local). Empty: when the previous item ends.', null=True, verbose_name='start time')),
                ('duration_minutes', models.PositiveIntegerField(default=15, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10080)], verbose_name='duration (minutes)')),
                ('title', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='title')),
                ('kind', models.CharField(choices=[('welcome', 'Welcome'), ('presentation', 'Presentation'), ('showcase', 'Best-practice showcase'), ('discussion', 'Discussion'), ('break', 'Break'), ('other', 'Other')], default='presentation', max_length=20, verbose_name='kind')),
                ('presenters', models.CharField(blank=True, max_length=300, validators=[asa_portal.validators.validate_single_line], verbose_name='presenters')),
                ('document', models.FileField(blank=True, help_text='Slides or a paper (PDF or office document).', upload_to='meetings/documents/%Y/', validators=[django.core.validators.FileExtensionValidator(['pdf', 'pptx', 'ppt', 'docx', 'doc', 'xlsx', 'odp', 'odt'])], verbose_name='document')),
                ('presenting_region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agenda_items', to='regions.region', verbose_name='presenting region')),
                ('showcased_practice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='showcases', to='practices.practice', verbose_name='showcased practice')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda_items', to='meetings.meeting', verbose_name='meeting')),
            ],
            options={
                'ordering': ['position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'position'), name='agenda_item_position_unique'), models.CheckConstraint(condition=models.Q(('duration_minutes__gt', 0)), name='agenda_item_duration_positive')],
                'verbose_name': 'agenda item',
                'verbose_name_plural': 'agenda items',
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('answer', models.CharField(choices=[('in_person', 'In person'), ('online', 'Online'), ('declined', 'Declined')], max_length=10, verbose_name='answer')),
                ('waitlisted', models.BooleanField(default=False, verbose_name='on the waiting list')),
                ('answered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='answered at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='meetings.meeting', verbose_name='meeting')),
            ],
            options={
                'ordering': ['answered_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'user'), name='attendance_unique'), models.CheckConstraint(condition=models.Q(('answer__in', ['in_person', 'online', 'declined'])), name='attendance_answer_valid'), models.CheckConstraint(condition=models.Q(('waitlisted', False), ('answer', 'in_person'), _connector='OR'), name='attendance_only_in_person_waits')],
                'verbose_name': 'answer',
                'verbose_name_plural': 'answers',
            },
        ),
        migrations.CreateModel(
            name='HistoricalAgendaItem',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveIntegerField(blank=True, default=0, verbose_name='position')),
                ('start_time', models.TimeField(blank=True, help_text='Only to fix a time (local). Empty: when the previous item ends.', null=True, verbose_name='start time')),
                ('duration_minutes', models.PositiveIntegerField(default=15, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10080)], verbose_name='duration (minutes)')),
                ('title', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='title')),
                ('kind', models.CharField(choices=[('welcome', 'Welcome'), ('presentation', 'Presentation'), ('showcase', 'Best-practice showcase'), ('discussion', 'Discussion'), ('break', 'Break'), ('other', 'Other')], default='presentation', max_length=20, verbose_name='kind')),
                ('presenters', models.CharField(blank=True, max_length=300, validators=[asa_portal.validators.validate_single_line], verbose_name='presenters')),
                ('document', models.TextField(blank=True, help_text='Slides or a paper (PDF or office document).', max_length=100, validators=[django.core.validators.FileExtensionValidator(['pdf', 'pptx', 'ppt', 'docx', 'doc', 'xlsx', 'odp', 'odt'])], verbose_name='document')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('presenting_region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='presenting region')),
                ('showcased_practice', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='practices.practice', verbose_name='showcased practice')),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'historical agenda item',
                'verbose_name_plural': 'historical agenda items',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMeeting',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='title')),
                ('slug', models.SlugField(max_length=200, verbose_name='slug')),
                ('kind', models.CharField(choices=[('wg_meeting', 'Working group meeting'), ('study_visit', 'Study visit'), ('conference', 'Conference'), ('webinar', 'Webinar')], default='wg_meeting', max_length=20, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('start', models.DateTimeField(help_text="Local time in the event's time zone.", verbose_name='start')),
                ('end', models.DateTimeField(help_text="Local time in the event's time zone.", verbose_name='end')),
                ('time_zone', models.CharField(default='Europe/Brussels', help_text='IANA name of the zone the event happens in, for example Europe/Brussels.', max_length=64, validators=[accounts.models.validate_time_zone], verbose_name='time zone')),
                ('format', models.CharField(choices=[('in_person', 'In person'), ('online', 'Online'), ('hybrid', 'Hybrid')], default='in_person', max_length=10, verbose_name='format')),
                ('venue', models.CharField(blank=True, max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='venue')),
                ('address', models.CharField(blank=True, max_length=300, validators=[asa_portal.validators.validate_single_line], verbose_name='address')),
                ('online_link', models.URLField(blank=True, help_text='Shown to signed-in members only, never to the public.', validators=[asa_portal.validators.validate_single_line], verbose_name='online link')),
                ('capacity', models.PositiveIntegerField(blank=True, help_text='In-person seats; empty for no limit.', null=True, verbose_name='capacity')),
                ('registration_deadline', models.DateTimeField(blank=True, help_text='Empty: answers are taken until the event ends.', null=True, verbose_name='registration deadline')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('cancelled', 'Cancelled')], default='draft', max_length=10, verbose_name='status')),
                ('visibility', models.CharField(choices=[('public', 'Public'), ('members', 'Members only')], default='public', max_length=10, verbose_name='visibility')),
                ('reminder_hours', models.JSONField(default=meetings.models.default_reminder_hours, help_text='Reminders, in hours before the start: [168, 24] is 7 days and 1 day.', validators=[meetings.models.validate_reminder_hours], verbose_name='reminder hours')),
                ('sequence', models.PositiveIntegerField(default=0, editable=False, help_text='Rises when the time or place changes.', verbose_name='sequence')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('host_region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='host region')),
                ('working_group', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty for events of the whole alliance, such as a conference.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.workinggroup', verbose_name='working group')),
                ('invite_all_members', models.BooleanField(default=False, help_text='Invite every member of the portal (for a conference).', verbose_name='invite all members')),
                ('minutes', models.TextField(blank=True, help_text='Markdown. Members read them on the meeting page, under Minutes and documents.', max_length=30000, validators=[django.core.validators.MaxLengthValidator(30000)], verbose_name='minutes')),
            ],
            options={
                'verbose_name': 'historical meeting',
                'verbose_name_plural': 'historical meetings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['status', 'end'], name='meetings_me_status_95290f_idx'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='meeting_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('capacity__gte', 0), _connector='OR'), name='meeting_capacity_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'published', 'cancelled'])), name='meeting_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('format__in', ['in_person', 'online', 'hybrid'])), name='meeting_format_valid'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('visibility__in', ['public', 'members'])), name='meeting_visibility_valid'),
        ),
    ]
