from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings and working groups")

    def ready(self) -> None:
        from meetings import emails, invitations, signals
        from notifications import messages, services

        messages.register(emails.MeetingEmails)
        messages.register(emails.MessageEmails)
        services.DUE_ROW_MAKERS.append(invitations.reminders_make_due)
        signals.connect()
