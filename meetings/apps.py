from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings and working groups"

    def ready(self) -> None:
        from meetings.cache import pages_changed
        from meetings.models import AgendaItem, Attendance, Meeting, WorkingGroup
        from practices.models import Practice
        from regions.models import Partner, Region

        # Everything the cached visitor pages show (see meetings/cache.py).
        for model in (Meeting, AgendaItem, Attendance, WorkingGroup, Partner, Region, Practice):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-save-{model}")
            post_delete.connect(pages_changed, sender=model, dispatch_uid=f"pages-del-{model}")
        for through in (Meeting.partners.through, WorkingGroup.members.through):
            m2m_changed.connect(pages_changed, sender=through, dispatch_uid=f"pages-m2m-{through}")
