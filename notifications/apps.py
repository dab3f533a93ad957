from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Email (delivery log)")

    def ready(self) -> None:
        from asa_portal import health
        from notifications import services

        # /healthz: the beat's last sweep and the oldest email due but not sent.
        health.DATABASE_CHECKS["beat"] = services.sweep_health
        health.DATABASE_CHECKS["outbox"] = services.outbox_health

    def remove_old_data(self, now) -> dict[str, int]:
        """Called every night by privacy.services.old_data_remove."""
        from notifications import services

        return {"outbox rows": services.notifications_old_remove(now=now)}
