"""The site's URLs and one page that fails, so the checks see the real 500 page.

The 500 page is what Django's handler renders after an unexpected exception, through the
same middleware (headers, Content-Security-Policy) as every other page.
"""

from django.urls import path

from asa_portal.urls import handler403
from asa_portal.urls import urlpatterns as site_urlpatterns

FAILING_PATH = "/checks/fails/"


def fails(request):
    raise RuntimeError("A deliberate error: the page checks look at the 500 page.")


urlpatterns = [*site_urlpatterns, path(FAILING_PATH.strip("/") + "/", fails)]

__all__ = ["handler403", "urlpatterns"]
