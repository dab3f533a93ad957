from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_secretariat(sender, **kwargs) -> None:
    from accounts.services import secretariat_group_sync

    secretariat_group_sync()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        # After every app, not only this one: an app's permissions exist only once its
        # own post_migrate has run, and the apps after accounts must be covered too.
        post_migrate.connect(_sync_secretariat, dispatch_uid="accounts_sync_secretariat")
