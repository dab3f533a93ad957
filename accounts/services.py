import datetime as dt
import hashlib
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import permissions
from accounts.backends import forget_person
from accounts.models import SECRETARIAT_GROUP, User, normalise_email
from asa_portal.batches import delete_in_batches

# The secretariat manages everything the portal holds. The technical apps (sign-in
# records, periodic tasks: permissions.TECHNICAL_ADMIN_APPS) are the superusers'; the
# secretariat lifts a sign-in pause from the people's list (signin_pauses_lift).
SECRETARIAT_APPS = [
    "accounts",
    "regions",
    "meetings",
    "practices",
    "notifications",
    "inbound",
]


def secretariat_group_sync() -> Group:
    """Creates the Secretariat group if needed and grants it every permission of our apps,
    and none of the technical apps' (a group made before they were the superusers' held
    them).

    Runs after each migrate, so a model added later is covered without a data migration.
    """
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS))
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=permissions.TECHNICAL_ADMIN_APPS)
    )
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


def count_in_window(*, key: str, window: int, now: float) -> tuple[int, float]:
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
    count, ends = count_in_window(
        key=f"password-reset:client:{_digest(client)}", window=window, now=now
    )
    if count > limit:
        return Refusal("client", dt.datetime.fromtimestamp(ends, tz=dt.UTC))
    limit, window = limits["email"]
    count, ends = count_in_window(
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
                    email=normalise_email(email), is_active=True, is_guest=False
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


# -- a guest becomes a member ------------------------------------------------------------


def guest_with_address(email: str) -> User | None:
    """The guest (registered for a public event without an account, account not closed)
    whose address this is, or None: the admin's "add person" form says to make them a
    member instead of refusing the address as taken."""
    return User.objects.filter(
        email=normalise_email(email), is_guest=True, closed_at__isnull=True
    ).first()


@dataclass(frozen=True)
class GuestsMadeMembers:
    """What guests_make_members did, for the admin's message: the people made members,
    and how many of the others were members already or closed (or inactive) accounts."""

    made: tuple[User, ...] = ()
    members_already: int = 0
    closed: int = 0


@transaction.atomic
def guests_make_members(*, people) -> GuestsMadeMembers:
    """Makes members of these guests: each active guest whose account is not closed is a
    guest no more, keeping their details, registrations and answers. Like a member added
    without a password, they sign in once the secretariat sets a password on their page
    (or after a password reset, which a guest is refused). Members and closed or inactive
    accounts are left alone and counted.

    Each is saved (not update()), so that the signals forget the cached person
    (accounts.backends) and move the pages' generation on (asa_portal.cache): a guest is
    named as one on the check-in page and in the exports."""
    made, members_already, closed = [], 0, 0
    for person in (
        User.objects.select_for_update()
        .filter(pk__in=[person.pk for person in people])
        .order_by("pk")
    ):
        if person.closed_at is not None or not person.is_active:
            closed += 1
        elif not person.is_guest:
            members_already += 1
        else:
            person.is_guest = False
            person.save(update_fields=["is_guest"])
            made.append(person)
    return GuestsMadeMembers(made=tuple(made), members_already=members_already, closed=closed)


# -- a person's own data: the export and closing the account --------------------------

# The most rows of each kind in an export, newest first: the download stays bounded
# whatever a long membership gathered; `truncated` says when rows were left out.
EXPORT_LIMIT = 5000

# What other apps hold about a person, for the export: each app that holds something adds
# its part from its AppConfig.ready() (meetings: groups and answers; practices: what the
# person wrote). They import accounts; accounts imports none of them. A part is called
# with the person and the most rows to return, and returns rows as JSON-ready dicts in
# one query.
EXPORT_PARTS: dict[str, Callable[[User, int], list[dict]]] = {}


# What other apps hold about a person and empty when the account closes (meetings: the
# answers to events' questions, which may tell health or belief, and registrations):
# each adds a function of the person from its AppConfig.ready(), as for EXPORT_PARTS.
# They run inside account_close's transaction, before the address leaves the row.
CLOSE_PARTS: list[Callable[[User], None]] = []


def account_export(*, user: User) -> dict:
    """Everything the portal holds about this person, and only about them, as a dict
    ready for JSON: the account, region memberships, each app's part (EXPORT_PARTS) and
    the emails sent to them (kind, what about, when, state; bodies are not stored). One
    query per part, however many rows; at most EXPORT_LIMIT rows per part."""
    from notifications.models import Notification

    data = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation,
            "country": user.country.code or "",
            "guest": user.is_guest,
            "language": user.language,
            "time_zone": user.time_zone,
            "meeting_reminders": user.meeting_reminders,
            "meeting_emails": user.meeting_emails,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "address_bouncing_since": user.email_bouncing_since,
        },
        "regions": [
            {"region": region, "role": role}
            for region, role in user.region_memberships.order_by("region__name").values_list(
                "region__name", "role"
            )[:EXPORT_LIMIT]
        ],
    }
    for name, part in EXPORT_PARTS.items():
        data[name] = part(user, EXPORT_LIMIT)
    emails = (
        Notification.objects.filter(person=user)
        .order_by("-created_at", "-pk")
        .values("kind", "meeting__title", "practice__title", "status", "created_at", "sent_at")[
            :EXPORT_LIMIT
        ]
    )
    data["emails"] = [
        {
            "kind": row["kind"],
            "about": row["meeting__title"] or row["practice__title"] or "",
            "state": row["status"],
            "created_at": row["created_at"],
            "sent_at": row["sent_at"],
        }
        for row in emails
    ]
    data["truncated"] = sorted(
        name for name, rows in data.items() if isinstance(rows, list) and len(rows) >= EXPORT_LIMIT
    )
    return data


def closed_address(pk: int) -> str:
    """The address a closed account keeps: unique (its id and a random part), in the
    reserved .invalid domain (RFC 2606) so no mail can reach it, and never typed by
    anyone, so the person's own address is free for a new account."""
    return f"closed-{pk}-{secrets.token_hex(8)}@closed.invalid"


@dataclass(frozen=True)
class Closure:
    """What closing an account did, for the page and the admin's message."""

    closed: bool
    emails_skipped: int = 0
    regions_without_representative: tuple[str, ...] = ()


def regions_only_represented_by(user: User) -> list[str]:
    """The regions whose only representative this person is (closing leaves them none:
    the confirmation pages say so, and the secretariat names another)."""
    from regions.models import RegionMembership

    representative = RegionMembership.Role.REPRESENTATIVE
    mine = RegionMembership.objects.filter(user=user, role=representative).values("region")
    others = (
        RegionMembership.objects.filter(region__in=mine, role=representative)
        .exclude(user=user)
        .values("region")
    )
    return list(
        RegionMembership.objects.filter(user=user, role=representative)
        .exclude(region__in=others)
        .order_by("region__name")
        .values_list("region__name", flat=True)
    )


@transaction.atomic
def account_close(*, user: User) -> Closure:
    """Closes the person's account, at their request or the secretariat's.

    Side effects:
    - the name, organisation, time zone and address leave the account row; the address
      becomes closed_address(), so the person's own address can make a new account
      later; the password is made unusable, the account inactive and without roles
      (staff, groups, permissions), so it signs in no more, and a new calendar token
      ends the personal feed;
    - their region memberships and working groups end, and their places on the waiting
      lists of events still to come (no seat was promised); a past event's list stays
      as its record;
    - each app empties what it holds of theirs (CLOSE_PARTS: the answers to events'
      questions, registrations);
    - their queued emails are skipped (kept in the log, never sent); no new ones are
      made for them (notifications_create leaves out inactive people);
    - failed sign-ins recorded under their address (django-axes) are deleted, so a new
      account with that address starts clean;
    - what must stay (answers given, practices written, the delivery log, history)
      stays, and names them "former member" ("former guest" for a guest;
      User.get_full_name).
    Closing twice changes nothing. The nightly removal closes a guest's account this way
    (meetings.services.guests_old_remove).
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from notifications.models import Notification

    person = User.objects.select_for_update().get(pk=user.pk)
    if person.closed_at is not None:
        return Closure(closed=False)
    regions_left = tuple(regions_only_represented_by(person))
    old_address = person.email
    person.region_memberships.all().delete()
    person.working_groups.clear()
    person.attendances.filter(waitlisted=True, meeting__end__gt=timezone.now()).delete()
    person.groups.clear()
    person.user_permissions.clear()
    # The app's secret and the recovery codes are the person's alone, and now useless.
    for device in devices_for_user(person, confirmed=None):
        device.delete()
    skipped = Notification.objects.filter(person=person, status=Notification.Status.QUEUED).update(
        status=Notification.Status.SKIPPED, last_error="The person's account is closed."
    )
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=old_address).delete()
    for part in CLOSE_PARTS:
        part(person)
    person.email = closed_address(person.pk)
    person.first_name = person.last_name = person.organisation = person.time_zone = ""
    person.country = ""
    person.language = User._meta.get_field("language").default
    person.meeting_reminders = person.meeting_emails = False
    person.email_bouncing_since = None
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    person.closed_at = timezone.now()
    person.set_unusable_password()  # also issues a new calendar token (User.save)
    person.save()
    return Closure(
        closed=True, emails_skipped=skipped, regions_without_representative=regions_left
    )


# -- The secretariat's second factor ------------------------------------------------------
# An authenticator app (django-otp's TOTP device, one a person) and ten recovery codes
# (its static device, each code working once). The admin asks for one of them after the
# password (asa_portal.admin_site); the pages are in accounts/views.py.

RECOVERY_CODES = 10
# Authenticator apps show six digits; recovery codes are eight letters and digits.
APP_CODE_DIGITS = 6


def code_cleaned(code: str) -> str:
    """A code as typed, without the spaces apps and people put in it, in lower case (the
    form recovery codes are kept in)."""
    return "".join(code.split()).lower()


def second_factor_new_key() -> str:
    """A new secret for an authenticator app (in hex, as django-otp keeps it). It stays
    in the person's session until a code from their app confirms it."""
    return random_hex(20)


def second_factor_secret(key: str) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[start : start + 4] for start in range(0, len(text), 4))


def second_factor_address(*, user: User, key: str) -> str:
    """The otpauth:// address a QR code gives an authenticator app (issuer: the portal,
    account: the person's email address)."""
    return TOTPDevice(user=user, key=key).config_url


@transaction.atomic
def second_factor_confirm(*, user: User, key: str, code: str) -> tuple[Device, list[str]] | None:
    """Sets up the authenticator app that holds `key` when `code` is its code of the
    moment: its device, confirmed (any app set up before is forgotten), and ten new
    recovery codes. Returns the device and the codes (shown once), or None for a wrong
    code, saving nothing."""
    device = TOTPDevice(user=user, key=key, name="Authenticator app", confirmed=True)
    code = code_cleaned(code)
    if not (code.isdigit() and len(code) == APP_CODE_DIGITS):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance):
        return None
    # This code is spent: the second step right after takes only a later one.
    device.last_t = totp.t()
    TOTPDevice.objects.filter(user=user).delete()
    device.save()
    return device, recovery_codes_make(user=user)


def recovery_codes_make(*, user: User) -> list[str]:
    """Ten new recovery codes for the person, replacing those left: each passes the second
    step once, for when the phone is lost or not at hand. Returns them, to be shown once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "Recovery codes"}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@dataclass(frozen=True)
class SecondStep:
    """What a code typed at the second step did: `device` took it (the step is passed),
    or it was wrong with `tries_left` before a pause, or it was not checked at all
    because the step is paused until `paused_until`."""

    device: Device | None = None
    tries_left: int = 0
    paused_until: dt.datetime | None = None


def _paused_until(app: TOTPDevice) -> dt.datetime | None:
    # Wrong codes are counted on the app's device whichever kind was typed (its
    # throttling fields; django-otp's own delays are off: OTP_TOTP_THROTTLE_FACTOR).
    if app.throttling_failure_count < settings.SECOND_STEP_FAILURE_LIMIT:
        return None
    until = app.throttling_failure_timestamp + settings.SECOND_STEP_PAUSE
    return until if until > timezone.now() else None


def second_step_paused_until(*, user: User) -> dt.datetime | None:
    """Until when the second step of this person is paused by wrong codes, or None."""
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return _paused_until(app) if app is not None else None


def second_step_verify(*, user: User, code: str) -> SecondStep:
    """Checks a code typed at the second step: one from the person's authenticator app
    (each works once, and only one later than the last taken) or one of their recovery
    codes (deleted as it is used).

    SECOND_STEP_FAILURE_LIMIT wrong codes in a row, of either kind, pause the step for
    SECOND_STEP_PAUSE: while paused no code is checked, the right one neither. A right
    code starts the count again; signing in again with the right password does not, so
    knowing the password buys no more guesses. The person's app device is locked while
    a code is checked, so that attempts at the same moment are counted one by one and a
    recovery code cannot be used twice.
    """
    limit = settings.SECOND_STEP_FAILURE_LIMIT
    with transaction.atomic():
        app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if app is None:
            return SecondStep()
        paused_until = _paused_until(app)
        if paused_until is not None:
            return SecondStep(paused_until=paused_until)
        if app.throttling_failure_count >= limit:
            app.throttle_reset(commit=False)  # the pause is over: a fresh count
        code = code_cleaned(code)
        if code.isdigit() and len(code) == APP_CODE_DIGITS:
            # django-otp's verify_token saves the device: the count cleared when right,
            # one more failure when wrong.
            device = app if app.verify_token(code) else None
        else:
            recovery = StaticDevice.objects.filter(user=user).first()
            device = recovery if recovery is not None and recovery.verify_token(code) else None
            if device is None:
                app.throttle_increment()
            else:
                app.throttle_reset()
        if device is not None:
            return SecondStep(device=device)
        paused_until = _paused_until(app)
        if paused_until is not None:
            return SecondStep(paused_until=paused_until)
        return SecondStep(tries_left=limit - app.throttling_failure_count)


def second_factor_remove(*, people, by: User) -> tuple[list[User], list[User]]:
    """A lost phone: removes the authenticator app and recovery codes of each person `by`
    may remove them for (accounts.permissions.can_remove_second_factor). A session that
    passed the second step with them no longer counts as having passed it; where
    STAFF_2FA is required the person sets up a new app on their next admin visit.
    Returns the people who had one removed, and the people refused."""
    removed, refused = [], []
    with transaction.atomic():
        for person in people:
            if not permissions.can_remove_second_factor(by, person):
                refused.append(person)
                continue
            deleted, _ = TOTPDevice.objects.filter(user=person).delete()
            StaticDevice.objects.filter(user=person).delete()
            if deleted:
                removed.append(person)
    return removed, refused


def signin_pauses_lift(*, people: list[User]) -> int:
    """Lets these people sign in at once, before the pause after failed passwords ends
    (django-axes: AXES_FAILURE_LIMIT failures for an account or from a connection pause
    both for AXES_COOLOFF_TIME): deletes the failed attempts typed for their accounts,
    and every attempt from the connections those came from, since a connection shared
    with others (a venue's, an office's) may be what is paused. Returns how many of them
    had failed attempts."""
    addresses = {normalise_email(person.email) for person in people}
    theirs = AccessAttempt.objects.filter(username__in=addresses)
    had = set(theirs.values_list("username", flat=True))
    connections = set(theirs.values_list("ip_address", flat=True)) - {None}
    AccessAttempt.objects.filter(
        Q(username__in=addresses) | Q(ip_address__in=connections)
    ).delete()
    return len(had)


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
