import functools
import secrets
import zoneinfo
from importlib import resources

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from asa_portal.validators import validate_single_line

SECRETARIAT_GROUP = "Secretariat"


def normalise_email(address: str) -> str:
    """The one form of an email address that finds an account and names it for the
    sign-in pauses (accounts.signin) and the password reset limits: stripped and in
    lower case, the form every address is stored in (User.save).

    Accounts are then found by plain equality with the stored address, never by a
    comparison the database folds (iexact: PostgreSQL's UPPER turns the long s "ſ" into
    "S" and "ı" into "I", SQLite's LIKE folds ASCII only), so both databases agree and
    an address that only looks like another (ſtuttgart@…, full-width letters) reaches
    no account instead of reaching one under a name the limits count apart. No Unicode
    folding (NFKC, casefold) either: it would change addresses that are stored (ß to ss)
    and so where their emails go."""
    return address.strip().lower()


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


@functools.cache
def current_time_zones() -> tuple[str, ...]:
    """The zone names to choose from, Europe's first, then the others in order: those
    of tzdata's zone.tab, one for each zone of each country, in today's names (no old
    aliases such as Europe/Kiev, US/Eastern, GB or Etc/GMT+1). Not zone1970.tab: it
    merges zones that agree since 1970, so Europe/Stockholm and Europe/Bratislava, the
    zones of member regions, are missing from it."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    names = {
        line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")
    }
    return tuple(sorted(names, key=lambda name: (not name.startswith("Europe/"), name)))


def time_zone_choices(current: str = "") -> list[tuple[str, str]]:
    """The menu of current zone names, with `current` too when it is an old alias that a
    meeting or a profile holds (still valid: it shows as it is)."""
    zones = current_time_zones()
    if current and current not in zones:
        zones = (current, *zones)
    return [(zone, zone) for zone in zones]


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (for example Europe/Brussels)."),
            params={"value": value},
        )


class UserManager(DjangoUserManager):
    """People sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email=normalise_email(username))

    def with_roles(self):
        """People with what every page asks of them read in the same query: whether they
        are in the secretariat's group and whether they represent a region (the
        navigation's question on every signed-in page)."""
        from regions.models import RegionMembership

        return self.annotate(
            in_secretariat_group=models.Exists(
                self.model.groups.through.objects.filter(
                    user=models.OuterRef("pk"), group__name=SECRETARIAT_GROUP
                )
            ),
            represents_a_region=models.Exists(
                RegionMembership.objects.filter(
                    user=models.OuterRef("pk"), role=RegionMembership.Role.REPRESENTATIVE
                )
            ),
        )


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    # AbstractUser's names, refusing line breaks like every one-line field of the portal.
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[validate_single_line]
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Your own time zone, shown beside an event's local time. Empty: the portal's."
        ),
    )
    # The language of the portal's pages once signed in, and of every email to the person.
    language = models.CharField(
        _("language"),
        max_length=8,
        # Each language named in itself, in every language: whoever reads the list finds
        # their own.
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the portal and of the emails it sends you."),
    )
    meeting_reminders = models.BooleanField(
        _("email reminders before meetings"),
        default=True,
        help_text=_("Reminders before the meetings you are invited to (7 days and 1 day before)."),
    )
    meeting_emails = models.BooleanField(
        _("emails about meetings"),
        default=True,
        help_text=_(
            "Invitations, changes of time or place and the secretariat's messages. "
            "Cancellations always reach you."
        ),
    )
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    # Set by a permanent delivery failure (inbound/); emails to the person wait meanwhile.
    email_bouncing_since = models.DateTimeField(
        _("address bouncing since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Emails to this person wait until the address is corrected or confirmed."),
    )

    # A guest registered for an event open to the public without an account: no password,
    # no roles, never in a meeting's audience; their details go RETENTION_GUEST_DAYS after
    # their last event (meetings.registrations). Confirming with a member's address never
    # makes a guest: the registration is that member's.
    is_guest = models.BooleanField(
        _("guest"),
        default=False,
        help_text=_("Registered for a public event without an account; cannot sign in."),
    )
    country = CountryField(_("country"), blank=True)

    # Set once when the account is closed (accounts.services.account_close): the row stays
    # for the records that name it, without the person's details.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        # Not Django's "user": the admin lists "People" (under "People and roles").
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        # Where a record must keep naming a closed account (answers, practices, history).
        # A guest was never a member: their emptied row says so.
        if self.closed_at is not None:
            return gettext("former guest") if self.is_guest else gettext("former member")
        return super().get_full_name()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs) -> None:
        # Sign-in finds an account by equality with this form (normalise_email).
        self.email = normalise_email(self.email or "")
        # set_password() keeps the new password in _password until the save: a new
        # password issues a new calendar address, so a leaked feed URL dies with the old
        # password. A hash upgraded at sign-in (check_password) clears _password first
        # and keeps the address.
        if self._password is not None and self.pk is not None:
            self.calendar_token = new_calendar_token()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "calendar_token"}
        super().save(*args, **kwargs)

    def reset_calendar_token(self) -> None:
        """Revokes the personal calendar feed URL by issuing a new one."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])
