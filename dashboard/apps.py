from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """A person's own page (/me/). No models: it only reads what the other apps keep, so
    it sits above them and none of them depends on it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = _("My page")
