"""All of regions' migrations as one, for fresh installs (a database that has applied some
of them goes on with those; Django picks). It makes the final tables directly instead of
adding and relabelling fields one operation at a time, which had made a fresh `migrate`
take twice as long."""

import asa_portal.validators
import django.core.validators
import django.db.models.deletion
import django_countries.fields
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('regions', '0001_initial'), ('regions', '0002_indicators'), ('regions', '0003_single_line_fields'), ('regions', '0004_verbose_names')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='With its proper spelling.', max_length=120, unique=True)),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('country', django_countries.fields.CountryField(help_text='ISO 3166 country.', max_length=2)),
                ('kind', models.CharField(choices=[('region', 'Region'), ('city', 'City'), ('project', 'Project')], default='region', max_length=10)),
                ('description', models.TextField(blank=True)),
                ('website', models.URLField(blank=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='RegionMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('representative', 'Representative'), ('member', 'Member')], default='member', max_length=20)),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='regions.region')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='region_memberships', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['region__name', 'role'],
                'verbose_name': 'region membership',
                'verbose_name_plural': 'region memberships',
            },
        ),
        migrations.AddField(
            model_name='region',
            name='members',
            field=models.ManyToManyField(blank=True, related_name='regions', through='regions.RegionMembership', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='region',
            name='name',
            field=models.CharField(help_text='With its proper spelling.', max_length=120, unique=True, validators=[asa_portal.validators.validate_single_line]),
        ),
        migrations.AlterModelOptions(
            name='region',
            options={'ordering': ['name'], 'verbose_name': 'region', 'verbose_name_plural': 'regions'},
        ),
        migrations.CreateModel(
            name='HistoricalIndicator',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('kind', models.CharField(choices=[('employment', 'Automotive employment'), ('upskilled', 'People up- or reskilled'), ('programmes', 'Training programmes'), ('graduates', 'Automotive VET graduates')], max_length=20, verbose_name='kind')),
                ('value', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name='value')),
                ('unit', models.CharField(blank=True, help_text='For example: people.', max_length=40, validators=[asa_portal.validators.validate_single_line], verbose_name='unit')),
                ('source', models.CharField(help_text='Where the figure comes from.', max_length=300, validators=[asa_portal.validators.validate_single_line], verbose_name='source')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'historical figure',
                'verbose_name_plural': 'historical figures',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPartner',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('acronym', models.CharField(db_index=True, max_length=20, validators=[asa_portal.validators.validate_single_line], verbose_name='acronym')),
                ('name', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='name')),
                ('slug', models.SlugField(max_length=40, verbose_name='slug')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical partner',
                'verbose_name_plural': 'historical partners',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRegion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, help_text='With its proper spelling.', max_length=120, validators=[asa_portal.validators.validate_single_line], verbose_name='name')),
                ('slug', models.SlugField(max_length=120, verbose_name='slug')),
                ('country', django_countries.fields.CountryField(help_text='ISO 3166 country.', max_length=2, verbose_name='country')),
                ('kind', models.CharField(choices=[('region', 'Region'), ('city', 'City'), ('project', 'Project')], default='region', max_length=10, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical region',
                'verbose_name_plural': 'historical regions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRegionMembership',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('role', models.CharField(choices=[('representative', 'Representative'), ('member', 'Member')], default='member', max_length=20, verbose_name='role')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'historical region membership',
                'verbose_name_plural': 'historical region memberships',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('kind', models.CharField(choices=[('employment', 'Automotive employment'), ('upskilled', 'People up- or reskilled'), ('programmes', 'Training programmes'), ('graduates', 'Automotive VET graduates')], max_length=20, verbose_name='kind')),
                ('value', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name='value')),
                ('unit', models.CharField(blank=True, help_text='For example: people.', max_length=40, validators=[asa_portal.validators.validate_single_line], verbose_name='unit')),
                ('source', models.CharField(help_text='Where the figure comes from.', max_length=300, validators=[asa_portal.validators.validate_single_line], verbose_name='source')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='regions.region', verbose_name='region')),
            ],
            options={
                'ordering': ['region__name', 'kind', 'year'],
                'constraints': [models.UniqueConstraint(fields=('region', 'kind', 'year'), name='indicator_unique_per_year'), models.CheckConstraint(condition=models.Q(('kind__in', ['employment', 'upskilled', 'programmes', 'graduates'])), name='indicator_kind_valid')],
                'verbose_name': 'figure',
                'verbose_name_plural': 'figures',
            },
        ),
        migrations.CreateModel(
            name='Partner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('acronym', models.CharField(max_length=20, unique=True, validators=[asa_portal.validators.validate_single_line], verbose_name='acronym')),
                ('name', models.CharField(max_length=200, validators=[asa_portal.validators.validate_single_line], verbose_name='name')),
                ('slug', models.SlugField(max_length=40, unique=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('website', models.URLField(blank=True, verbose_name='website')),
            ],
            options={
                'ordering': ['acronym'],
                'verbose_name': 'partner',
                'verbose_name_plural': 'partners',
            },
        ),
        migrations.AlterField(
            model_name='region',
            name='country',
            field=django_countries.fields.CountryField(help_text='ISO 3166 country.', max_length=2, verbose_name='country'),
        ),
        migrations.AlterField(
            model_name='region',
            name='description',
            field=models.TextField(blank=True, verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='region',
            name='kind',
            field=models.CharField(choices=[('region', 'Region'), ('city', 'City'), ('project', 'Project')], default='region', max_length=10, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='region',
            name='members',
            field=models.ManyToManyField(blank=True, related_name='regions', through='regions.RegionMembership', to=settings.AUTH_USER_MODEL, verbose_name='members'),
        ),
        migrations.AlterField(
            model_name='region',
            name='name',
            field=models.CharField(help_text='With its proper spelling.', max_length=120, unique=True, validators=[asa_portal.validators.validate_single_line], verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='region',
            name='slug',
            field=models.SlugField(max_length=120, unique=True, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='region',
            name='website',
            field=models.URLField(blank=True, verbose_name='website'),
        ),
        migrations.AlterField(
            model_name='regionmembership',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='regions.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='regionmembership',
            name='role',
            field=models.CharField(choices=[('representative', 'Representative'), ('member', 'Member')], default='member', max_length=20, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='regionmembership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='region_memberships', to=settings.AUTH_USER_MODEL, verbose_name='person'),
        ),
        migrations.AddConstraint(
            model_name='regionmembership',
            constraint=models.UniqueConstraint(fields=('region', 'user'), name='region_membership_unique'),
        ),
        migrations.AddConstraint(
            model_name='regionmembership',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['representative', 'member'])), name='region_membership_role_valid'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['region', 'city', 'project'])), name='region_kind_valid'),
        ),
    ]
