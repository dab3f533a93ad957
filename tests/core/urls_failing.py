"""The portal's URLs and one page that fails: a 500 on demand for the error tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from asa_portal.urls import handler403
from asa_portal.urls import urlpatterns as portal


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("The page failed on purpose.")


def fail_otherwise(request: HttpRequest) -> HttpResponse:
    raise LookupError("Another page failed another way.")


urlpatterns = [path("fail/", fail), path("fail-otherwise/", fail_otherwise), *portal]

__all__ = ["handler403", "urlpatterns"]
