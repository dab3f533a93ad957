from django.apps import AppConfig


class PracticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practices"
    verbose_name = "Best practices"
