from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings and working groups")

    def ready(self) -> None:
        from accounts.services import EXPORT_PARTS
        from meetings import emails, invitations, registration_emails, signals
        from meetings import services as meeting_services
        from notifications import messages, services

        EXPORT_PARTS["working_groups"] = meeting_services.person_working_groups
        EXPORT_PARTS["answers"] = meeting_services.person_answers
        messages.register(emails.MeetingEmails)
        messages.register(emails.MessageEmails)
        messages.register(registration_emails.RegistrationConfirmEmails)
        # A plain email until the full one (calendar file, personal link, QR code) lands.
        messages.register(registration_emails.RegisteredEmails)
        services.DUE_ROW_MAKERS.append(invitations.reminders_make_due)
        signals.connect()
