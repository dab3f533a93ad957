from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    """The secretariat's workplace: only the secretariat may enter."""

    site_header = "ASA Portal: secretariat"
    site_title = "ASA Portal admin"
    index_title = "The secretariat's workplace"

    def has_permission(self, request) -> bool:
        from accounts.permissions import is_secretariat  # the app registry loads this module

        return is_secretariat(request.user)


class PortalAdminConfig(AdminConfig):
    default_site = "asa_portal.admin_site.PortalAdminSite"
