"""The beat schedule of the daily removal of old data: every night at 03:30 in the
portal's zone (CELERY_TIMEZONE), visible and editable in the admin (django-celery-beat's
periodic tasks)."""

from django.db import migrations

NAME = "Privacy: remove data kept past its period"
TASK = "privacy.tasks.old_data_remove"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    at_night, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "crontab": at_night,
            "enabled": True,
            "description": "Removes expired sessions, sign-in attempts, old outbox rows "
            "and the raw bytes of old emails received, each after its period "
            "(RETENTION_* settings; the privacy page says them).",
        },
    )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
