import datetime as dt
import hashlib
import time
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max

from accounts.backends import forget_person
from accounts.models import SECRETARIAT_GROUP, User, normalise_email
from asa_portal.batches import delete_in_batches

# The secretariat manages everything the portal holds, and the periodic tasks.
SECRETARIAT_APPS = [
    "accounts",
    "regions",
    "meetings",
    "practices",
    "notifications",
    "inbound",
    "django_celery_beat",
    # Refused sign-ins: the secretariat can lift a pause by deleting its attempts.
    "axes",
]


def secretariat_group_sync() -> Group:
    """Creates the Secretariat group if needed and grants it every permission of our apps.

    Runs after each migrate, so a model added later is covered without a data migration.
    """
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS))
    return group


@transaction.atomic
def user_ensure(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    organisation: str = "",
    secretariat: bool = False,
) -> tuple[User, bool]:
    """Returns the person with this address, creating them with this password if new.

    An existing person keeps their password and details: running it twice changes nothing.
    """
    user = User.objects.filter(email=normalise_email(email)).first()
    if user is not None:
        return user, False
    user = User(
        email=normalise_email(email),
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        is_staff=secretariat,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if secretariat:
        user.groups.add(secretariat_group_sync())
    return user, True


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused, and when it may be made again."""

    reason: str
    retry_at: dt.datetime


def _count_in_window(*, key: str, window: int, now: float) -> tuple[int, float]:
    """Counts one more request in the current fixed window of `window` seconds and
    returns the count and when the window ends. add + incr are atomic in every cache
    backend Django ships with a server (Redis, memcached) and in the local-memory one."""
    start = now - now % window
    key = f"{key}:{int(start)}"
    ends = start + window
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    # Backends whose incr is a get and a set restart the default timeout: keep our own.
    cache.touch(key, timeout=max(int(ends - now), 1))
    return count, ends


def password_reset_throttle(*, email: str, client: str) -> Refusal | None:
    """Counts a password reset request and says whether it is over a limit
    (settings.PASSWORD_RESET_LIMITS: requests per window, per address and per client).

    Requests for addresses that have no account count too, so the answer tells nothing
    about who has one. A request refused for the client's limit does not count against
    the address.
    """
    now = time.time()
    limits = settings.PASSWORD_RESET_LIMITS
    limit, window = limits["client"]
    count, ends = _count_in_window(
        key=f"password-reset:client:{_digest(client)}", window=window, now=now
    )
    if count > limit:
        return Refusal("client", dt.datetime.fromtimestamp(ends, tz=dt.UTC))
    limit, window = limits["email"]
    count, ends = _count_in_window(
        key=f"password-reset:email:{_digest(normalise_email(email))}", window=window, now=now
    )
    if count > limit:
        return Refusal("email", dt.datetime.fromtimestamp(ends, tz=dt.UTC))
    return None


def password_reset_queue(*, email: str) -> int:
    """Queues a password reset email to the active person with this address who has a
    password, as an outbox row that a worker sends after the commit: the request waits
    for no mail server. Returns how many were queued: 0 for an address with no account,
    which the caller must not reveal (it shows the same page).

    The row holds no link: the worker makes it when it renders the email
    (accounts.emails), with Django's token, valid until the password changes or
    PASSWORD_RESET_TIMEOUT passes. Each request is a new revision (a running number per
    person); two requests at the same instant make one email.
    """
    from notifications.models import Notification
    from notifications.services import notifications_create

    kind = Notification.Kind.PASSWORD_RESET
    try:
        with transaction.atomic():
            # The person's row is locked, so that two requests count revisions in turn.
            people = [
                person
                for person in User.objects.select_for_update().filter(
                    email=normalise_email(email), is_active=True
                )
                if person.has_usable_password()
            ]
            rows = []
            for person in people:
                last = Notification.objects.filter(person=person, kind=kind).aggregate(
                    last=Max("revision")
                )["last"]
                rows.append(Notification(person=person, kind=kind, revision=(last or 0) + 1))
            return len(notifications_create(rows=rows))
    except IntegrityError:
        return 0


def _digest(value: str) -> str:
    # Keys name no address in the clear (cache servers are shared and inspected).
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def user_language_set(*, user: User, language: str) -> bool:
    """Keeps `language` on the person's profile, so that it follows them to other
    browsers and into their emails. False (nothing saved) for a language the portal does
    not offer."""
    if language not in dict(settings.LANGUAGES):
        return False
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return True


def address_works_again(*, people) -> int:
    """The secretariat corrected or confirmed the addresses that bounced (inbound/ marked
    them): the emails that waited go out with the next sweep. Returns how many people
    changed."""
    bouncing = list(
        User.objects.filter(
            pk__in=[person.pk for person in people], email_bouncing_since__isnull=False
        ).values_list("pk", flat=True)
    )
    User.objects.filter(pk__in=bouncing).update(email_bouncing_since=None)
    for pk in bouncing:
        forget_person(pk)
    return len(bouncing)


# -- what is removed when no longer needed (privacy.services.old_data_remove) -----------


def sessions_expired_remove(*, now: dt.datetime) -> int:
    """Deletes the sessions that have expired (their cached copies expire by themselves)."""
    return delete_in_batches(Session.objects.filter(expire_date__lt=now))


def signin_attempts_remove(*, now: dt.datetime) -> int:
    """Deletes django-axes' records of sign-ins (the attempts that count towards a pause,
    and the logs, should they be turned on) older than RETENTION_SIGNIN_ATTEMPTS_DAYS: a
    pause lasts AXES_COOLOFF_TIME, far less."""
    before = now - dt.timedelta(days=settings.RETENTION_SIGNIN_ATTEMPTS_DAYS)
    return sum(
        delete_in_batches(model.objects.filter(attempt_time__lt=before))
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )
