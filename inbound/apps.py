from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inbound"
    verbose_name = _("Email received (answers, bounces)")

    def ready(self) -> None:
        from inbound.emails import ReplyEmails
        from notifications import messages

        messages.register(ReplyEmails)

    def remove_old_data(self, now) -> dict[str, int]:
        """Called every night by privacy.services.old_data_remove."""
        from inbound import services

        return {"raw emails received": services.inbound_raw_remove(now=now)}
