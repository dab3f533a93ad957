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
