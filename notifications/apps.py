from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Email (delivery log)"

    def remove_old_data(self, now) -> dict[str, int]:
        """Called every night by privacy.services.old_data_remove."""
        from notifications import services

        return {"outbox rows": services.notifications_old_remove(now=now)}
