from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_secretariat(sender, **kwargs) -> None:
    from accounts.services import secretariat_group_sync

    secretariat_group_sync()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from accounts.backends import connect_forgetting
        from accounts.emails import PasswordResetEmails
        from accounts.signin import connect_forgetting_own_failures
        from asa_portal.cache import connect_invalidation
        from notifications import messages

        messages.register(PasswordResetEmails)

        # Each app's permissions exist only after its own post_migrate, so sync after all.
        post_migrate.connect(_sync_secretariat, dispatch_uid="secretariat-group-sync")
        connect_invalidation()
        connect_forgetting()
        connect_forgetting_own_failures()

    def remove_old_data(self, now) -> dict[str, int]:
        """Called every night by privacy.services.old_data_remove."""
        from accounts import services

        return {
            "expired sessions": services.sessions_expired_remove(now=now),
            "sign-in attempts": services.signin_attempts_remove(now=now),
        }
