"""The navigation shows each person what they may use."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def nav(client: Client) -> str:
    html = client.get("/").text
    return html[html.index("<header") : html.index("</header>")]


def test_an_anonymous_visitor_is_offered_sign_in_and_nothing_personal(client):
    header = nav(client)
    assert ">Sign in</a>" in header
    assert "Sign out" not in header
    assert "/admin/" not in header


def test_a_member_sees_their_profile_and_a_sign_out_button_but_not_the_admin(client_for, member):
    header = nav(client_for(member))
    assert 'href="/accounts/profile/"' in header
    assert '<form method="post" action="/accounts/logout/"' in header
    assert "Sign out</button>" in header
    assert "/admin/" not in header


def test_a_representative_does_not_see_the_admin(client_for, representative):
    assert "/admin/" not in nav(client_for(representative))


def test_the_secretariat_sees_the_admin(client_for, secretariat):
    assert 'href="/admin/"' in nav(client_for(secretariat))


def test_a_representative_is_offered_to_write_a_practice_and_a_member_is_not(
    client_for, member, representative
):
    # In turn in one process: the links are rendered once per kind of reader.
    assert 'href="/practices/new/"' not in nav(client_for(member))
    assert 'href="/practices/new/"' in nav(client_for(representative))
    assert 'href="/practices/new/"' not in nav(client_for(member))


def current_links(client: Client, path: str) -> list[str]:
    html = client.get(path).text
    header = html[html.index("<header") : html.index("</header>")]
    return [
        link.split('href="', 1)[1].split('"', 1)[0]
        for link in header.split("<a ")[1:]
        if 'aria-current="page"' in link.split(">", 1)[0]
    ]


def test_the_navigation_marks_the_section_that_is_open(client):
    assert current_links(client, "/meetings/") == ["/meetings/"]
    assert current_links(client, "/regions/") == ["/regions/"]
    assert current_links(client, "/practices/") == ["/practices/"]
    assert current_links(client, "/") == ["/"]


def test_a_template_changed_while_the_development_server_runs_is_read_again(client):
    from pathlib import Path

    from django.utils.autoreload import file_changed

    from accounts.templatetags import navigation

    client.get("/")
    assert navigation._rendered.cache_info().currsize > 0
    file_changed.send(sender=None, file_path=Path("templates/_nav_sections.html"))
    assert navigation._rendered.cache_info().currsize == 0


def test_the_footer_is_in_the_readers_language_after_a_page_in_another(client):
    footer = (
        "ASA Portal: the working groups and member regions of the Automotive Skills "
        "Alliance, a European partnership for up- and reskilling in the automotive sector."
    )
    assert footer in client.get("/").text
    german = client.get("/", headers={"accept-language": "de"}).text
    assert footer not in german
    assert "Automotive Skills Alliance" in german.split("<footer", 1)[1]


def test_staff_outside_the_secretariat_group_do_not_see_the_admin_link(client_for):
    from tests.factories.accounts import UserFactory

    assert "/admin/" not in nav(client_for(UserFactory(is_staff=True)))


def test_the_page_has_a_language_a_skip_link_and_one_main_heading(client):
    html = client.get("/").text
    assert '<html lang="en">' in html
    assert 'href="#main"' in html
    assert html.count("<h1") == 1
    assert "<main" in html and "<footer" in html


def test_an_unknown_address_gets_the_friendly_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_server_error_gets_the_friendly_500_page(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_the_admin_lets_the_secretariat_in(client_for, secretariat):
    assert client_for(secretariat).get("/admin/").status_code == 200


@pytest.mark.parametrize("staff", [True, False])
def test_the_admin_sends_anyone_outside_the_secretariat_to_its_sign_in(client_for, staff):
    from tests.factories.accounts import UserFactory

    response = client_for(UserFactory(is_staff=staff)).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
