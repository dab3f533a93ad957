"""The secretariat's second factor: an authenticator app (TOTP) and recovery codes, set up
on the first admin visit, asked for after the password, paused after wrong codes.

Codes are RFC 6238's own (Appendix B, SHA-1, its secret "12345678901234567890", the last
six of its eight digits) at the instants the RFC prints them, so that no test computes a
code with the code under test.
"""

import datetime as dt
import re
import threading
import time

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from tests.factories.accounts import (
    PASSWORD,
    RFC_6238_KEY,
    AppDeviceFactory,
    SecretariatFactory,
    pass_second_step,
    recovery_codes_for,
)
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db

# Unix time 2000000000 (time step 66666666) and its code.
AT_2000000000 = dt.datetime(2033, 5, 18, 3, 33, 20, tzinfo=dt.UTC)
CODE_AT_2000000000 = "279037"
# Unix times 1111111109 and 1111111111: two time steps in a row, and their codes.
AT_1111111109 = dt.datetime(2005, 3, 18, 1, 58, 29, tzinfo=dt.UTC)
CODE_AT_1111111109 = "081804"
CODE_AT_1111111111 = "050471"
# The secret as the set-up page shows it: base32 of "12345678901234567890", by fours.
RFC_6238_SECRET = "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"

VERIFY = "/admin/second-factor/verify/"
SET_UP = "/admin/second-factor/"
RECOVERY = "/admin/second-factor/recovery-codes/"


def at(instant):
    return time_machine.travel(instant, tick=False)


def signed_in(user) -> Client:
    """A client that signed in with the password at the admin's sign-in page."""
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content
    return client


def type_code(client, code: str, next_url: str = "/admin/"):
    return client.post(VERIFY, {"code": code, "next": next_url})


def passed(client) -> bool:
    return client.get("/admin/meetings/meeting/").status_code == 200


def text_of(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture(autouse=True)
def _sessions_outlive_the_rfcs_instants(settings):
    """Sessions made today still hold at the RFC's instants (2005, 2033)."""
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 365 * 50


@pytest.fixture
def app(secretariat):
    return AppDeviceFactory(user=secretariat)


# -- Who the admin asks for what --------------------------------------------------------


def test_where_it_is_required_a_secretariat_without_an_app_is_sent_to_set_one_up(
    staff_2fa_required, secretariat, client_for
):
    response = client_for(secretariat).get("/admin/meetings/meeting/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/second-factor/?next=%2Fadmin%2Fmeetings%2Fmeeting%2F"


def test_where_it_is_required_a_secretariat_with_an_app_is_asked_for_its_code(
    staff_2fa_required, app, client_for
):
    response = client_for(app.user).get("/admin/meetings/meeting/")
    assert response.status_code == 302
    assert response["Location"] == (
        "/admin/second-factor/verify/?next=%2Fadmin%2Fmeetings%2Fmeeting%2F"
    )


def test_where_it_is_required_a_session_that_passed_the_second_step_opens_the_admin(
    staff_2fa_required, secretariat, verified_client_for
):
    assert passed(verified_client_for(secretariat))


def test_where_it_is_optional_the_password_alone_opens_the_admin_and_its_home_offers_it(
    settings, secretariat, client_for
):
    settings.STAFF_2FA = "optional"
    response = client_for(secretariat).get("/admin/")
    assert response.status_code == 200
    offer = BeautifulSoup(response.content, "html.parser").select_one(".second-factor-offer")
    assert offer.h2.get_text(strip=True) == "Protect this account with a second factor"
    assert offer.select_one("a")["href"] == "/admin/second-factor/"


def test_where_it_is_optional_whoever_set_up_an_app_is_still_asked_for_its_code(
    settings, app, client_for
):
    settings.STAFF_2FA = "optional"
    response = client_for(app.user).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_home_page_does_not_offer_a_second_factor_to_whoever_has_one(
    staff_2fa_required, secretariat, verified_client_for
):
    page = verified_client_for(secretariat).get("/admin/")
    assert b"second-factor-offer" not in page.content


def test_another_secretariat_members_app_does_not_open_the_admin_for_this_one(
    staff_2fa_required, secretariat, client_for
):
    colleague = AppDeviceFactory(user=SecretariatFactory(email="colleague@example.org"))
    client = client_for(secretariat)
    pass_second_step(client, colleague)
    assert not passed(client)


def test_signing_out_before_the_second_step_works(staff_2fa_required, app, client_for):
    client = client_for(app.user)
    response = client.post("/admin/logout/")
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


# -- Setting it up ---------------------------------------------------------------------


@pytest.fixture
def rfc_secret(monkeypatch):
    """The set-up page offers RFC 6238's secret, whose codes the tests know."""
    monkeypatch.setattr(services, "random_hex", lambda length: RFC_6238_KEY)


def test_the_set_up_page_shows_the_secret_as_text_and_as_a_qr_code(
    staff_2fa_required, rfc_secret, secretariat, client_for
):
    response = client_for(secretariat).get(SET_UP)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(strip=True) == "Protect this account with a second factor"
    assert page.select_one("#second-factor-secret").get_text() == RFC_6238_SECRET
    qr = page.select_one(".qr-code")
    assert qr["role"] == "img"
    assert qr.svg.path is not None


def test_a_code_from_the_app_sets_it_up_and_leads_to_ten_recovery_codes(
    staff_2fa_required, rfc_secret, secretariat, client_for
):
    client = client_for(secretariat)
    client.get(SET_UP)
    with at(AT_2000000000):
        response = client.post(SET_UP, {"code": CODE_AT_2000000000, "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/second-factor/recovery-codes/?next=%2Fadmin%2F"
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    codes = [code.get_text() for code in page.select(".recovery-codes code")]
    assert len(codes) == 10
    assert all(re.fullmatch("[a-z2-7]{8}", code) for code in codes)
    assert TOTPDevice.objects.get(user=secretariat).confirmed
    assert passed(client)


def test_the_recovery_codes_are_shown_once(
    staff_2fa_required, rfc_secret, secretariat, client_for
):
    client = client_for(secretariat)
    client.get(SET_UP)
    with at(AT_2000000000):
        client.post(SET_UP, {"code": CODE_AT_2000000000})
    first = client.get(RECOVERY)
    again = client.get(RECOVERY)
    assert len(BeautifulSoup(first.content, "html.parser").select(".recovery-codes li")) == 10
    assert not BeautifulSoup(again.content, "html.parser").select(".recovery-codes")
    assert "You have 10 recovery codes left" in text_of(again)


def test_a_wrong_code_at_set_up_saves_nothing_says_why_and_keeps_the_secret(
    staff_2fa_required, secretariat, client_for
):
    client = client_for(secretariat)
    before = BeautifulSoup(client.get(SET_UP).content, "html.parser")
    with at(AT_2000000000):
        response = client.post(SET_UP, {"code": "123 456"})
    after = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert "That is not the app's code of the moment" in after.get_text()
    assert after.select_one("input[name=code]")["value"] == "123 456"
    assert after.select_one("#second-factor-secret").get_text() == (
        before.select_one("#second-factor-secret").get_text()
    )
    assert not TOTPDevice.objects.exists()
    assert not StaticToken.objects.exists()


def test_a_code_that_is_not_six_digits_is_refused_with_a_message(
    staff_2fa_required, secretariat, client_for
):
    client = client_for(secretariat)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "12345x"})
    assert "The app's code is six digits, such as 123 456." in text_of(response)
    assert not TOTPDevice.objects.exists()


def test_the_code_that_set_up_the_app_does_not_pass_the_second_step_again(
    staff_2fa_required, rfc_secret, secretariat, client_for
):
    client = client_for(secretariat)
    client.get(SET_UP)
    with at(AT_1111111109):
        client.post(SET_UP, {"code": CODE_AT_1111111109})
        again = signed_in(secretariat)
        type_code(again, CODE_AT_1111111109)
        assert not passed(again)
        response = type_code(again, CODE_AT_1111111111)
    assert response.status_code == 302
    assert passed(again)


def test_a_secretariat_with_an_app_is_not_offered_to_set_up_another_before_the_second_step(
    staff_2fa_required, app, client_for
):
    response = client_for(app.user).get(SET_UP)
    assert response.status_code == 302
    assert response["Location"] == "/admin/second-factor/verify/?next=%2Fadmin%2Fsecond-factor%2F"


# -- The second step ---------------------------------------------------------------------


def test_the_apps_code_passes_the_second_step_and_leads_where_the_person_was_going(
    staff_2fa_required, app
):
    client = signed_in(app.user)
    with at(AT_2000000000):
        response = type_code(client, CODE_AT_2000000000, "/admin/meetings/meeting/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/meetings/meeting/"
    assert passed(client)


def test_passing_the_second_step_gives_the_session_a_new_key(staff_2fa_required, app):
    client = signed_in(app.user)
    before = client.session.session_key
    with at(AT_2000000000):
        type_code(client, CODE_AT_2000000000)
    assert client.session.session_key != before
    assert passed(client)


def test_a_next_address_on_another_site_leads_to_the_admins_home_instead(staff_2fa_required, app):
    client = signed_in(app.user)
    with at(AT_2000000000):
        response = type_code(client, CODE_AT_2000000000, "https://evil.example/")
    assert response["Location"] == "/admin/"


def test_a_recovery_code_passes_the_second_step_once(staff_2fa_required, app):
    recovery_codes_for(app.user, ["abcdefgh", "ijklmnop"])
    first = signed_in(app.user)
    type_code(first, "abcdefgh")
    second = signed_in(app.user)
    response = type_code(second, "abcdefgh")
    assert passed(first)
    assert not passed(second)
    assert "That code is not right." in text_of(response)
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["ijklmnop"]


def test_a_recovery_code_may_be_typed_in_capitals_and_with_spaces(staff_2fa_required, app):
    recovery_codes_for(app.user, ["abcdefgh"])
    client = signed_in(app.user)
    type_code(client, " ABCD EFGH ")
    assert passed(client)


def test_another_persons_recovery_code_does_not_pass(staff_2fa_required, app):
    colleague = SecretariatFactory(email="colleague@example.org")
    AppDeviceFactory(user=colleague)
    recovery_codes_for(colleague, ["abcdefgh"])
    client = signed_in(app.user)
    type_code(client, "abcdefgh")
    assert not passed(client)
    assert StaticToken.objects.filter(token="abcdefgh").exists()


# -- Wrong codes pause the second step ---------------------------------------------------


def test_each_wrong_code_says_how_many_more_pause_the_second_step(staff_2fa_required, app):
    client = signed_in(app.user)
    with at(AT_2000000000):
        response = type_code(client, "000000")
    assert response.status_code == 200
    assert (
        "That code is not right. After 4 more wrong codes, the second step pauses for "
        "15 minutes." in text_of(response)
    )


def test_five_wrong_codes_pause_the_second_step_even_for_the_right_code(staff_2fa_required, app):
    client = signed_in(app.user)
    with at(AT_2000000000):
        for _ in range(4):
            assert type_code(client, "000000").status_code == 200
        fifth = type_code(client, "000000")
        right = type_code(client, CODE_AT_2000000000)
    assert fifth.status_code == 429
    assert right.status_code == 429
    assert not passed(client)


def test_the_pause_says_in_words_until_when(settings, staff_2fa_required, app):
    settings.TIME_ZONE = "Europe/Brussels"
    client = signed_in(app.user)
    with at(AT_2000000000):
        for _ in range(5):
            type_code(client, "000000")
        page = client.get(VERIFY)
    assert page.status_code == 429
    # 03:33 UTC is 05:33 in Brussels in May; fifteen minutes later, 05:48.
    assert (
        "There have been 5 wrong codes in a row for this account, so its second step is "
        "paused. Try again after 05:48 (Europe/Brussels time, 15 minutes after the last "
        "wrong code). Codes typed before then are not checked." in text_of(page)
    )
    assert not BeautifulSoup(page.content, "html.parser").select("input[name=code]")


def test_the_pause_ends_fifteen_minutes_after_the_last_wrong_code(staff_2fa_required, app):
    client = signed_in(app.user)
    with at(AT_2000000000 - dt.timedelta(minutes=15)):
        for _ in range(5):
            type_code(client, "000000")
    with at(AT_2000000000 - dt.timedelta(seconds=1)):
        assert client.get(VERIFY).status_code == 429
    with at(AT_2000000000):
        response = type_code(client, CODE_AT_2000000000)
    assert response.status_code == 302
    assert passed(client)


def test_signing_in_again_with_the_right_password_does_not_lift_the_count(staff_2fa_required, app):
    with at(AT_2000000000):
        for _ in range(4):
            type_code(signed_in(app.user), "000000")
        client = signed_in(app.user)
        type_code(client, "000000")
        response = type_code(client, CODE_AT_2000000000)
    assert response.status_code == 429


def test_wrong_recovery_codes_count_toward_the_pause_too(staff_2fa_required, app):
    recovery_codes_for(app.user, ["abcdefgh"])
    client = signed_in(app.user)
    with at(AT_2000000000):
        for _ in range(3):
            type_code(client, "zzzzzzzz")
        for _ in range(2):
            type_code(client, "000000")
        response = type_code(client, "abcdefgh")
    assert response.status_code == 429
    assert StaticToken.objects.filter(token="abcdefgh").exists()


def test_a_right_code_starts_the_count_again(staff_2fa_required, app):
    recovery_codes_for(app.user, ["abcdefgh"])
    client = signed_in(app.user)
    with at(AT_2000000000):
        for _ in range(4):
            type_code(client, "000000")
        type_code(client, "abcdefgh")
        again = signed_in(app.user)
        for _ in range(3):
            type_code(again, "000000")
        response = type_code(again, "000000")
    assert response.status_code == 200
    assert "After 1 more wrong code, the second step pauses" in text_of(response)


def test_wrong_codes_for_one_account_do_not_pause_another(staff_2fa_required, app):
    colleague = AppDeviceFactory(user=SecretariatFactory(email="colleague@example.org")).user
    with at(AT_2000000000):
        client = signed_in(colleague)
        for _ in range(5):
            type_code(client, "000000")
        response = type_code(signed_in(app.user), CODE_AT_2000000000)
    assert response.status_code == 302


# -- Recovery codes and lost phones ------------------------------------------------------


def test_new_recovery_codes_replace_those_left(staff_2fa_required, app):
    recovery_codes_for(app.user, ["abcdefgh"])
    client = Client()
    client.force_login(app.user)
    pass_second_step(client, app)
    client.post(RECOVERY, {"next": "/admin/"})
    page = BeautifulSoup(client.get(RECOVERY).content, "html.parser")
    new = [code.get_text() for code in page.select(".recovery-codes code")]
    assert len(new) == 10
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(new)


def test_the_recovery_codes_page_waits_for_the_second_step(app, client_for, staff_2fa_required):
    recovery_codes_for(app.user, ["abcdefgh"])
    response = client_for(app.user).post(RECOVERY)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["abcdefgh"]


def test_another_member_of_the_secretariat_removes_a_lost_phone(
    staff_2fa_required, app, django_app
):
    recovery_codes_for(app.user, ["abcdefgh"])
    lost = Client()
    lost.force_login(app.user)
    pass_second_step(lost, app)
    colleague = SecretariatFactory(email="colleague@example.org")
    other = AppDeviceFactory(user=SecretariatFactory(email="third@example.org"))
    client = Client()
    client.force_login(colleague)
    pass_second_step(client, AppDeviceFactory(user=colleague))
    response = client.post(
        "/admin/accounts/user/",
        {"action": "remove_second_factor", "_selected_action": [app.user.pk]},
        follow=True,
    )
    assert "1 person's second factor removed" in text_of(response)
    assert not TOTPDevice.objects.filter(user=app.user).exists()
    assert not StaticDevice.objects.filter(user=app.user).exists()
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    # The session that passed with the lost phone must set up a new one.
    assert lost.get("/admin/")["Location"].startswith("/admin/second-factor/?next=")


def test_nobody_but_a_superuser_removes_their_own_second_factor(
    staff_2fa_required, secretariat, verified_client_for
):
    client = verified_client_for(secretariat)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "remove_second_factor", "_selected_action": [secretariat.pk]},
        follow=True,
    )
    assert "Your own second factor stays" in text_of(response)
    assert TOTPDevice.objects.filter(user=secretariat).exists()
    root = SecretariatFactory(email="root@example.org", is_superuser=True)
    verified_client_for(root).post(
        "/admin/accounts/user/",
        {"action": "remove_second_factor", "_selected_action": [root.pk]},
    )
    assert not TOTPDevice.objects.filter(user=root).exists()


def test_a_persons_page_says_whether_they_have_a_second_factor(
    staff_2fa_required, secretariat, member, verified_client_for
):
    client = verified_client_for(secretariat)
    own = text_of(client.get(f"/admin/accounts/user/{secretariat.pk}/change/"))
    members = text_of(client.get(f"/admin/accounts/user/{member.pk}/change/"))
    assert "An authenticator app, and recovery codes" in own
    assert "None: the password alone" in members


def test_nobody_reads_anyones_secret_in_the_admin(secretariat, verified_client_for):
    client = verified_client_for(secretariat)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_one_recovery_code_typed_twice_at_the_same_moment_passes_once(monkeypatch):
    require_postgresql()
    user = SecretariatFactory(email="sofia@example.org")
    AppDeviceFactory(user=user)
    recovery_codes_for(user, ["abcdefgh"])
    # Each attempt finds the code, then waits before deleting it: without the lock, both
    # would find it.
    delete = StaticToken.delete

    def slow_delete(token, *args, **kwargs):
        time.sleep(0.5)
        return delete(token, *args, **kwargs)

    monkeypatch.setattr(StaticToken, "delete", slow_delete)
    start, passed_with = threading.Barrier(2), []

    def attempt():
        start.wait()
        try:
            step = services.second_step_verify(user=user, code="abcdefgh")
            passed_with.append(step.device is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(passed_with) == [False, True]
