"""Expired sessions go, and django-axes' records of sign-ins 30 days
(RETENTION_SIGNIN_ATTEMPTS_DAYS) after the attempt."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session

from accounts.services import sessions_expired_remove, signin_attempts_remove

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
THIRTY_DAYS = dt.timedelta(days=30)


def session(key: str, expires: dt.datetime) -> Session:
    return Session.objects.create(session_key=key, session_data="e30:", expire_date=expires)


def attempt(model, when: dt.datetime, username: str):
    fields = {"username": username, "ip_address": "192.0.2.7", "user_agent": "Firefox"}
    if model is AccessAttempt:
        fields["failures_since_start"] = 3
    with time_machine.travel(when, tick=False):
        return model.objects.create(**fields, path_info="/accounts/login/")


def test_a_session_that_has_expired_is_removed():
    session("expired", NOW - MINUTE)
    session("valid", NOW + MINUTE)
    assert sessions_expired_remove(now=NOW) == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["valid"]


def test_sessions_still_valid_stay_however_old():
    session("two-weeks-left", NOW + dt.timedelta(days=14))
    session("a-minute-left", NOW + MINUTE)
    assert sessions_expired_remove(now=NOW) == 0
    assert Session.objects.count() == 2


def test_a_failed_sign_in_just_over_30_days_old_is_removed():
    attempt(AccessAttempt, NOW - THIRTY_DAYS - MINUTE, "member@example.org")
    recent = attempt(AccessAttempt, NOW - THIRTY_DAYS + MINUTE, "other@example.org")
    assert signin_attempts_remove(now=NOW) == 1
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_failed_sign_in_just_under_30_days_old_stays():
    recent = attempt(AccessAttempt, NOW - THIRTY_DAYS + MINUTE, "member@example.org")
    assert signin_attempts_remove(now=NOW) == 0
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_sign_in_logs_go_after_30_days_too_should_they_be_turned_on():
    attempt(AccessLog, NOW - THIRTY_DAYS - MINUTE, "member@example.org")
    attempt(AccessFailureLog, NOW - THIRTY_DAYS - MINUTE, "member@example.org")
    kept_log = attempt(AccessLog, NOW - THIRTY_DAYS + MINUTE, "other@example.org")
    kept_failure = attempt(AccessFailureLog, NOW - THIRTY_DAYS + MINUTE, "other@example.org")
    assert signin_attempts_remove(now=NOW) == 2
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept_log.pk]
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [kept_failure.pk]


def test_the_period_of_sign_in_attempts_is_retention_signin_attempts_days(settings):
    settings.RETENTION_SIGNIN_ATTEMPTS_DAYS = 7
    attempt(AccessAttempt, NOW - dt.timedelta(days=8), "member@example.org")
    kept = attempt(AccessAttempt, NOW - dt.timedelta(days=6), "other@example.org")
    assert signin_attempts_remove(now=NOW) == 1
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [kept.pk]
