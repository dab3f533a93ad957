"""All of notifications' migrations as one, for fresh installs (a database that has applied
some of them goes on with those; Django picks). It makes the final tables directly instead
of adding and relabelling fields one operation at a time, which had made a fresh
`migrate` take twice as long. Of the replaced data steps only the beat schedule of the
outbox sweep matters on an empty database; it is kept below."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SWEEP = "Email: send due reminders and retries"


def create_sweep_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={
            "task": "notifications.tasks.notifications_sweep",
            "interval": every_minute,
            "enabled": True,
            "description": "Hands Celery the emails whose time has come (reminders, "
            "retries of refused sends) and those that stayed queued too long.",
        },
    )


def remove_sweep_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):

    replaces = [('notifications', '0001_initial'), ('notifications', '0002_sweep_schedule'), ('notifications', '0003_notification_bounced'), ('notifications', '0004_reminder_times'), ('notifications', '0005_translatable_labels')]

    initial = True

    dependencies = [
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        ('meetings', '0005_meeting_minutes'),
        ('practices', '0007_stored_rendered_body'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReminderTime',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hours', models.PositiveIntegerField(help_text='Hours before the start.', verbose_name='hours')),
                ('due_at', models.DateTimeField(verbose_name='due at')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done at')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_times', to='meetings.meeting', verbose_name='meeting')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('done_at__isnull', True)), fields=['due_at'], name='reminder_time_due_idx')],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'hours'), name='reminder_time_once')],
                'verbose_name': 'reminder time',
                'verbose_name_plural': 'reminder times',
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('invitation', 'Invitation'), ('reminder', 'Reminder'), ('update', 'Update'), ('cancellation', 'Cancellation'), ('seat', 'Seat'), ('message', 'Message'), ('practice_review', 'Practice review'), ('reply', 'Reply to an emailed answer')], max_length=20, verbose_name='kind')),
                ('revision', models.PositiveIntegerField(default=0, verbose_name='revision')),
                ('details', models.JSONField(blank=True, default=dict, verbose_name='details')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Skipped'), ('bounced', 'Bounced')], default='queued', max_length=10, verbose_name='status')),
                ('due_at', models.DateTimeField(default=django.utils.timezone.now, help_text='Not sent before this time.', verbose_name='due at')),
                ('queued_at', models.DateTimeField(blank=True, null=True, verbose_name='queued at')),
                ('claimed_until', models.DateTimeField(blank=True, null=True, verbose_name='claimed until')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='meetings.meeting', verbose_name='meeting')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('practice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='practices.practice', verbose_name='practice')),
                ('bounce_diagnostic', models.TextField(blank=True, verbose_name='bounce diagnostic')),
                ('bounce_status', models.CharField(blank=True, help_text='Such as 5.1.1.', max_length=20, verbose_name='bounce status')),
                ('bounced_at', models.DateTimeField(blank=True, null=True, verbose_name='bounced at')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(condition=models.Q(('status', 'queued')), fields=['due_at'], name='notification_due_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('meeting__isnull', False), ('practice__isnull', True)), models.Q(('meeting__isnull', True), ('practice__isnull', False)), _connector='OR'), name='notification_has_one_subject'), models.UniqueConstraint(condition=models.Q(('meeting__isnull', False)), fields=('meeting', 'person', 'kind', 'revision'), name='notification_once_per_meeting'), models.UniqueConstraint(condition=models.Q(('practice__isnull', False)), fields=('practice', 'person', 'kind', 'revision'), name='notification_once_per_practice'), models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'sent', 'failed', 'skipped', 'bounced'])), name='notification_status_valid')],
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
            },
        ),
        migrations.RunPython(create_sweep_schedule, remove_sweep_schedule),
    ]
