"""The Content-Security-Policy header of the site's pages (built once per process)."""

import pytest
from csp.constants import NONCE
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from asa_portal.middleware import CSPMiddleware

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return set(response["Content-Security-Policy"].split("; "))


def test_a_visitors_page_served_from_the_cache_carries_the_policy(client):
    client.get("/")
    cached = client.get("/")
    assert {"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} <= directives(
        cached
    )


def test_a_change_of_the_policy_in_the_settings_reaches_the_next_page(client):
    client.get("/")
    policy = {"DIRECTIVES": {"default-src": ["'none'"], "img-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        response = client.get("/meetings/")
    assert directives(response) == {"default-src 'none'", "img-src 'self'"}


def test_the_admin_is_left_out_of_the_policy(client):
    client.get("/")
    response = client.get("/admin/login/")
    assert "Content-Security-Policy" not in response


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}})
def test_a_page_that_uses_a_nonce_has_it_in_its_policy():
    def page(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    middleware = CSPMiddleware(page)
    request = RequestFactory().get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, page(request))
    assert f"'nonce-{request._csp_nonce}'" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    middleware = CSPMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse())
    with pytest.raises(Exception, match="not available after the CSP header"):
        str(request.csp_nonce)
