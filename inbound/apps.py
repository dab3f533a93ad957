from django.apps import AppConfig


class InboundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inbound"
    verbose_name = "Email received (answers, bounces)"

    def ready(self) -> None:
        from inbound.emails import ReplyEmails
        from notifications import messages

        messages.register(ReplyEmails)
