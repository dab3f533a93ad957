"""The row that records the beat's last sweep, made here so that a fresh install (or one
upgraded to this) counts the minutes to its first sweep from now (/healthz)."""

import django.utils.timezone
from django.db import migrations, models


def make_the_row(apps, schema_editor):
    apps.get_model("notifications", "LastSweep").objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0006_password_reset'),
    ]

    operations = [
        migrations.CreateModel(
            name='LastSweep',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('swept_at', models.DateTimeField(blank=True, null=True, verbose_name='swept at')),
            ],
            options={
                'verbose_name': 'last sweep',
                'verbose_name_plural': 'last sweep',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='last_sweep_one_row')],
            },
        ),
        migrations.RunPython(make_the_row, migrations.RunPython.noop),
    ]
