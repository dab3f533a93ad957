from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings and working groups")

    def ready(self) -> None:
        from accounts.services import CLOSE_PARTS, EXPORT_PARTS
        from meetings import emails, invitations, registration_emails, retention, signals
        from meetings import services as meeting_services
        from notifications import messages, services

        EXPORT_PARTS["working_groups"] = meeting_services.person_working_groups
        EXPORT_PARTS["answers"] = meeting_services.person_answers
        CLOSE_PARTS.append(retention.person_forget)
        messages.register(emails.MeetingEmails)
        messages.register(emails.MessageEmails)
        messages.register(registration_emails.RegistrationConfirmEmails)
        messages.register(emails.RegisteredEmails)
        messages.register(emails.RegistrationCancelledEmails)
        services.DUE_ROW_MAKERS.append(invitations.reminders_make_due)
        signals.connect()

    def remove_old_data(self, now) -> dict[str, int]:
        """Called every night by privacy.services.old_data_remove."""
        from meetings import retention

        return retention.remove_old_data(now=now)
