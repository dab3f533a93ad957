from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _reindex_region_practices(sender, instance, created: bool, **kwargs) -> None:
    # A practice is found by its region's name, which is stored in its search text; a
    # region renamed anywhere (the admin, a shell) must not leave that text behind.
    if not created:
        instance.practices.reindex()


class PracticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practices"
    verbose_name = _("Best practices")

    def ready(self) -> None:
        from accounts.services import EXPORT_PARTS
        from notifications import messages
        from practices.emails import PracticeReviewEmails
        from practices.services import person_practices

        EXPORT_PARTS["practices"] = person_practices
        messages.register(PracticeReviewEmails)
        post_save.connect(
            _reindex_region_practices, sender="regions.Region", dispatch_uid="practices-reindex"
        )
