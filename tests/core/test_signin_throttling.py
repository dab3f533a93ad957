"""Guessing passwords and flooding inboxes: sign-in pauses after a few failures (site and
admin), and password reset emails are limited per address and per client."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from tests.factories.accounts import PASSWORD, SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


def sign_in(client, email, password, *, address="10.0.0.1", url="/accounts/login/"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(client, email, times, **kwargs):
    for _ in range(times):
        sign_in(client, email, "wrong password", **kwargs)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_few_failures_still_let_the_right_password_in(client, member):
    for _ in range(LIMIT - 1):
        assert sign_in(client, member.email, "wrong password").status_code == 200
    assert sign_in(client, member.email, PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_fifth_failure_pauses_sign_in_for_the_account(client, member):
    fail(client, member.email, LIMIT - 1)
    assert sign_in(client, member.email, "wrong password").status_code == 429


def test_after_five_failures_for_an_account_even_the_right_password_is_refused(client, member):
    fail(client, member.email, LIMIT)
    response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_pause_counts_an_address_in_any_case_as_one_account(client, member):
    fail(client, "Member@Example.org", 3)
    fail(client, "MEMBER@example.org", 2)
    assert sign_in(client, member.email, PASSWORD).status_code == 429


def test_the_refusal_says_when_to_try_again(client, member):
    with time_machine.travel(dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC), tick=False):
        fail(client, member.email, LIMIT)
        response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 429
    assert "Sign-in paused" in response.text
    # 09:00 UTC is 10:00 in Brussels; the pause lasts 15 minutes.
    assert "Try again after <strong>10:15</strong>" in response.text
    assert "in 15 minutes" in response.text
    assert response["Retry-After"] == "900"


def test_the_account_is_paused_from_another_address_too(client, member):
    fail(client, member.email, LIMIT, address="10.0.0.1")
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.2").status_code == 429


def test_failures_from_one_address_pause_it_for_every_account(client, member):
    for number in range(LIMIT):
        sign_in(client, f"guess{number}@example.org", "wrong password", address="10.0.0.9")
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.9").status_code == 429
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.1").status_code == 302


def test_sign_in_opens_again_after_the_pause(client, member):
    fail(client, member.email, LIMIT)
    with time_machine.travel(dt.timedelta(minutes=16)):
        assert sign_in(client, member.email, PASSWORD).status_code == 302


def test_an_attempt_during_the_pause_starts_the_wait_again(client, member):
    start = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        fail(client, member.email, LIMIT)
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert sign_in(client, member.email, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert sign_in(client, member.email, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=36), tick=False):
        assert sign_in(client, member.email, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_count(client, member):
    fail(client, member.email, LIMIT - 1)
    assert sign_in(client, member.email, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    fail(client, member.email, LIMIT - 1)
    assert sign_in(client, member.email, PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_failures_against_another(
    client, member
):
    other = UserFactory(email="other@example.org")
    fail(client, member.email, LIMIT - 1, address="10.9.9.8")
    assert sign_in(client, other.email, PASSWORD, address="10.9.9.8").status_code == 302
    client.post("/accounts/logout/")
    fail(client, member.email, 1, address="10.9.9.9")
    assert sign_in(client, member.email, PASSWORD, address="10.9.9.9").status_code == 429


def test_the_admin_sign_in_pauses_after_five_failures_too(client):
    staff = SecretariatFactory(email="secretariat@example.org")
    fail(client, staff.email, LIMIT, url="/admin/login/")
    response = sign_in(client, staff.email, PASSWORD, url="/admin/login/")
    assert response.status_code == 429
    assert "Try again after" in response.text
    assert not signed_in(client)


def test_failures_in_the_admin_and_on_the_site_add_up(client):
    staff = SecretariatFactory(email="secretariat@example.org")
    fail(client, staff.email, 3, url="/admin/login/")
    fail(client, staff.email, 2)
    assert sign_in(client, staff.email, PASSWORD).status_code == 429


def test_a_forwarded_address_is_ignored_unless_a_proxy_is_trusted(client, member, settings):
    for number in range(LIMIT):
        client.post(
            "/accounts/login/",
            {"username": f"guess{number}@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.9").status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_counts_alone(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(LIMIT):
        client.post(
            "/accounts/login/",
            {"username": f"guess{number}@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR="192.0.2.66",
        )
    response = client.post(
        "/accounts/login/",
        {"username": member.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert response.status_code == 302


# -- behind proxies: which address is the client's -----------------------------------------

CLIENT = "198.51.100.7"
OTHER_CLIENT = "198.51.100.8"
PROXY = "10.0.0.9"  # what REMOTE_ADDR shows behind proxies: the innermost one
OUTER_PROXY = "10.0.0.5"


def through_proxies(proxies: int, client: str, spoofed: str = "") -> dict:
    """The request's REMOTE_ADDR and X-Forwarded-For as `proxies` proxies pass on a
    request from `client`, who wrote `spoofed` into X-Forwarded-For themselves."""
    hops = [spoofed] if spoofed else []
    if proxies == 0:
        return {"REMOTE_ADDR": client, **({"HTTP_X_FORWARDED_FOR": spoofed} if spoofed else {})}
    hops.append(client)  # the outer proxy adds whom it saw
    if proxies == 2:
        hops.append(OUTER_PROXY)  # the inner proxy adds the outer one
    return {"REMOTE_ADDR": PROXY if proxies else client, "HTTP_X_FORWARDED_FOR": ", ".join(hops)}


def post_sign_in(client, email, password, headers):
    return client.post("/accounts/login/", {"username": email, "password": password}, **headers)


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_axes_records_the_address_of_the_client_behind_the_proxies(client, settings, proxies):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = proxies
    post_sign_in(client, "guess@example.org", "wrong", through_proxies(proxies, CLIENT))
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_a_client_who_writes_a_new_forwarded_hop_each_time_is_still_paused(
    client, member, settings, proxies
):
    settings.TRUSTED_PROXY_COUNT = proxies
    for number in range(LIMIT):
        headers = through_proxies(proxies, CLIENT, spoofed=f"192.0.2.{number}")
        post_sign_in(client, f"guess{number}@example.org", "wrong", headers)
    headers = through_proxies(proxies, CLIENT, spoofed="192.0.2.200")
    assert post_sign_in(client, member.email, PASSWORD, headers).status_code == 429
    assert not signed_in(client)


@pytest.mark.parametrize("proxies", [1, 2])
def test_two_clients_behind_the_same_proxies_are_counted_apart(client, member, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    for number in range(LIMIT):
        post_sign_in(
            client, f"guess{number}@example.org", "wrong", through_proxies(proxies, CLIENT)
        )
    paused = post_sign_in(client, member.email, PASSWORD, through_proxies(proxies, CLIENT))
    assert paused.status_code == 429
    other = post_sign_in(client, member.email, PASSWORD, through_proxies(proxies, OTHER_CLIENT))
    assert other.status_code == 302


def test_a_request_with_fewer_forwarded_hops_than_trusted_proxies_counts_as_the_proxy(
    client, member, settings
):
    settings.TRUSTED_PROXY_COUNT = 2
    for number in range(LIMIT):
        headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.{number}"}
        post_sign_in(client, f"guess{number}@example.org", "wrong", headers)
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.99"}
    assert post_sign_in(client, member.email, PASSWORD, headers).status_code == 429


# -- password reset ---------------------------------------------------------------------


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    """Asks for a reset; the commit hands the email to Celery (eager here), which sends it."""

    def ask(client, email, *, address="10.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)

    return ask


def test_three_reset_requests_for_one_address_send_three_emails_then_stop(
    ask_reset, client, member
):
    for _ in range(3):
        assert ask_reset(client, member.email).status_code == 302
    response = ask_reset(client, member.email, address="10.0.0.2")
    assert response.status_code == 429
    assert "Too many password reset requests for this address" in response.text
    assert "A link we have already sent still works" in response.text
    assert len(mail.outbox) == 3


def test_twenty_requests_send_three_emails(ask_reset, client, member):
    for _ in range(20):
        ask_reset(client, member.email)
    assert len(mail.outbox) == 3


def test_reset_requests_for_an_address_are_counted_in_any_case(ask_reset, client, member):
    for email in ("member@example.org", "Member@example.org", "MEMBER@EXAMPLE.ORG"):
        ask_reset(client, email)
    assert ask_reset(client, member.email).status_code == 429


def test_one_client_may_ask_ten_times_an_hour_whatever_the_addresses(ask_reset, client, db):
    people = [UserFactory(email=f"person{n}@example.org") for n in range(11)]
    answers = [ask_reset(client, person.email).status_code for person in people]
    assert answers == [302] * 10 + [429]
    assert (
        "Too many password reset requests for your connection"
        in ask_reset(client, people[0].email).text
    )
    assert len(mail.outbox) == 10
    assert ask_reset(client, people[10].email, address="10.0.0.2").status_code == 302


def test_unknown_addresses_count_too_so_the_limit_reveals_nothing(ask_reset, client, db):
    for _ in range(3):
        assert ask_reset(client, "nobody@example.org").status_code == 302
    assert ask_reset(client, "nobody@example.org").status_code == 429


def test_reset_requests_are_accepted_again_in_the_next_hour(ask_reset, client, member):
    with time_machine.travel(dt.datetime(2030, 1, 7, 9, 10, tzinfo=dt.UTC), tick=False):
        for _ in range(3):
            ask_reset(client, member.email)
        response = ask_reset(client, member.email)
        assert response.status_code == 429
        assert "Try again after 11:00" in response.text  # 10:00 UTC, in Brussels time
    with time_machine.travel(dt.datetime(2030, 1, 7, 10, 0, 1, tzinfo=dt.UTC), tick=False):
        assert ask_reset(client, member.email).status_code == 302
    assert len(mail.outbox) == 4


def test_a_refused_reset_request_keeps_what_was_typed(ask_reset, client, member):
    for _ in range(3):
        ask_reset(client, member.email)
    response = ask_reset(client, member.email)
    assert 'value="member@example.org"' in response.text


def test_behind_proxies_the_reset_limit_counts_each_client_apart_and_spoofing_escapes_it_not(
    client, settings, db
):
    settings.TRUSTED_PROXY_COUNT = 2
    people = [UserFactory(email=f"person{n}@example.org") for n in range(11)]
    answers = [
        client.post(
            "/accounts/password_reset/",
            {"email": person.email},
            **through_proxies(2, CLIENT, spoofed=f"192.0.2.{number}"),
        ).status_code
        for number, person in enumerate(people)
    ]
    assert answers == [302] * 10 + [429]
    other = client.post(
        "/accounts/password_reset/",
        {"email": people[10].email},
        **through_proxies(2, OTHER_CLIENT),
    )
    assert other.status_code == 302
