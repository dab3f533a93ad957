"""Every action of every portal admin, ticked on its list and posted as the browser posts
it, outside any test transaction.

Django's admin runs an action without a transaction of its own, as production does: a
row locked (select_for_update) outside a transaction is an error on PostgreSQL, which
SQLite ignores. The app tests cover what each action does; this file makes sure that no
action, including one added later, goes untried on both databases. Actions that ask a
question first (a comment, a new date) are tried up to their question page.
"""

import pytest
from django.contrib import admin

from inbound.models import InboundMessage
from notifications.models import Notification
from tests.adminpages import changelist_action, who_works_in
from tests.core.test_admin import EXISTING, label, url_of
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory

# The portal's own admins and the beat schedule's, as tests/core/test_admin.py has them,
# with the delivery log and the received emails.
PORTAL_APPS = {
    "accounts",
    "meetings",
    "practices",
    "regions",
    "notifications",
    "inbound",
    "django_celery_beat",
}


def a_failed_email():
    return Notification.objects.create(
        meeting=MeetingFactory(),
        person=UserFactory(),
        kind=Notification.Kind.INVITATION,
        status=Notification.Status.FAILED,
        attempts=6,
        last_error="451 later",
    )


def a_message_that_failed():
    return InboundMessage.objects.create(
        via="pipe",
        raw=b"From: someone@example.org\r\nSubject: Hello\r\n\r\nA question.\r\n",
        size=60,
        digest="x",
        outcome=InboundMessage.Outcome.ERROR,
    )


MAKE = {**EXISTING, Notification: a_failed_email, InboundMessage: a_message_that_failed}


def action_names(model_admin) -> list[str]:
    names = [
        action if isinstance(action, str) else action.__name__
        for action in model_admin.actions or []
    ]
    return [name for name in names if name != "delete_selected"]  # tested in test_admin


PORTAL_ACTIONS = sorted(
    (
        (model, name)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PORTAL_APPS
        for name in action_names(model_admin)
    ),
    key=lambda pair: (label(pair[0]), pair[1]),
)


def test_the_portal_has_the_actions_this_file_expects():
    # A guard that the list below is not empty by mistake (a renamed app, say).
    assert {name for _, name in PORTAL_ACTIONS} >= {
        "publish",
        "return_for_changes",
        "archive",
        "submit",
        "cancel",
        "clone",
        "export_participants",
        "resend_failed",
        "handle_again",
        "forward",
        "address_works_again",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("model", "action"), PORTAL_ACTIONS, ids=[f"{label(m)}.{a}" for m, a in PORTAL_ACTIONS]
)
def test_every_admin_action_runs_outside_a_transaction_without_an_error(
    django_app, secretariat, superuser, model, action
):
    assert model in MAKE, f"give {label(model)} an object to act on in MAKE"
    obj = MAKE[model]()
    user = who_works_in(model, secretariat=secretariat, superuser=superuser)
    # WebTest fails the test on any 5xx answer.
    answer = changelist_action(django_app, url_of(model), action, [obj], user)
    assert answer.status_code in {200, 302}
