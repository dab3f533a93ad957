"""All of accounts' migrations as one, for fresh installs (a database that has applied some
of them goes on with those; Django picks). It makes the final tables directly instead of
adding and relabelling fields one operation at a time, which had made a fresh `migrate`
take twice as long."""

import accounts.models
import asa_portal.validators
import django.db.models.functions.text
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('accounts', '0001_initial'), ('accounts', '0002_single_line_fields'), ('accounts', '0003_user_meeting_reminders'), ('accounts', '0004_user_email_bouncing_since'), ('accounts', '0005_user_language'), ('accounts', '0006_labels_translatable')]

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('first_name', models.CharField(blank=True, max_length=150, validators=[asa_portal.validators.validate_single_line], verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, validators=[asa_portal.validators.validate_single_line], verbose_name='last name')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='email address')),
                ('organisation', models.CharField(blank=True, max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='organisation')),
                ('time_zone', models.CharField(blank=True, help_text="Your own time zone, shown beside an event's local time. Empty: the portal's.", max_length=64, validators=[accounts.models.validate_time_zone], verbose_name='time zone')),
                ('calendar_token', models.CharField(default=accounts.models.new_calendar_token, editable=False, max_length=64, unique=True, verbose_name='calendar token')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ('meeting_reminders', models.BooleanField(default=True, help_text='Reminders before the meetings you are invited to (7 days and 1 day before).', verbose_name='email reminders before meetings')),
                ('email_bouncing_since', models.DateTimeField(blank=True, editable=False, help_text='Emails to this person wait until the address is corrected or confirmed.', null=True, verbose_name='address bouncing since')),
                ('language', models.CharField(choices=[('en', 'English'), ('de', 'Deutsch'), ('fr', 'Français'), ('nl', 'Nederlands'), ('sv', 'Svenska'), ('sk', 'Slovenčina')], default='en', help_text='The language of the portal and of the emails it sends you.', max_length=8, verbose_name='language')),
            ],
            options={
                'ordering': ['last_name', 'first_name', 'email'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='user_email_unique_ci')],
            },
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
    ]
