"""All of inbound' migrations as one, for fresh installs (a database that has applied some
of them goes on with those; Django picks). It makes the final tables directly instead of
adding and relabelling fields one operation at a time, which had made a fresh `migrate`
take twice as long."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('inbound', '0001_initial'), ('inbound', '0002_translatable_labels')]

    initial = True

    dependencies = [
        ('meetings', '0005_meeting_minutes'),
        ('notifications', '0004_reminder_times'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='InboundMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='received at')),
                ('via', models.CharField(choices=[('pipe', 'receive_mail (pipe)'), ('lmtp', 'mail_gateway (LMTP)')], max_length=4, verbose_name='via')),
                ('envelope_from', models.CharField(blank=True, max_length=500, verbose_name='envelope sender')),
                ('envelope_to', models.TextField(blank=True, verbose_name='envelope recipients')),
                ('raw', models.BinaryField(verbose_name='raw message')),
                ('size', models.PositiveBigIntegerField(help_text='Bytes, as received.', verbose_name='size')),
                ('truncated', models.BooleanField(default=False, verbose_name='truncated')),
                ('digest', models.CharField(db_index=True, help_text='SHA-256 of the message.', max_length=64, verbose_name='digest')),
                ('message_id', models.CharField(blank=True, db_index=True, max_length=500, verbose_name='Message-ID')),
                ('from_address', models.CharField(blank=True, max_length=500, verbose_name='From')),
                ('subject', models.CharField(blank=True, max_length=500, verbose_name='subject')),
                ('kind', models.CharField(choices=[('unread', 'Not read (refused or not yet read)'), ('reply', 'Calendar reply'), ('bounce', 'Delivery report'), ('auto_reply', 'Automatic reply'), ('other', 'Other message')], default='unread', max_length=12, verbose_name='kind')),
                ('outcome', models.CharField(choices=[('received', 'Received, not handled yet'), ('applied', 'Answer recorded'), ('noted', 'Noted, nothing changed'), ('refused', 'Answer refused, the person told why'), ('untrusted', 'Not trusted, not applied'), ('bounced', 'Bounce recorded'), ('forwarded', 'For the secretariat (forwarded)'), ('duplicate', 'Duplicate, handled before'), ('rejected', 'Refused unread (size, nesting, parts)'), ('error', 'Error while handling')], default='received', max_length=10, verbose_name='outcome')),
                ('detail', models.TextField(blank=True, help_text='What was done, and why.', verbose_name='detail')),
                ('forwarded_at', models.DateTimeField(blank=True, null=True, verbose_name='forwarded at')),
                ('forward_error', models.TextField(blank=True, verbose_name='forwarding error')),
                ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duplicates', to='inbound.inboundmessage', verbose_name='duplicate of')),
                ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='inbound_messages', to='meetings.meeting', verbose_name='meeting')),
                ('notification', models.ForeignKey(blank=True, help_text='The email of ours that this message answers or reports on.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='inbound_messages', to='notifications.notification', verbose_name='notification')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='inbound_messages', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'email received',
                'verbose_name_plural': 'emails received',
                'ordering': ['-received_at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('via__in', ['pipe', 'lmtp'])), name='inbound_via_valid'), models.CheckConstraint(condition=models.Q(('kind__in', ['unread', 'reply', 'bounce', 'auto_reply', 'other'])), name='inbound_kind_valid'), models.CheckConstraint(condition=models.Q(('outcome__in', ['received', 'applied', 'noted', 'refused', 'untrusted', 'bounced', 'forwarded', 'duplicate', 'rejected', 'error'])), name='inbound_outcome_valid')],
            },
        ),
    ]
