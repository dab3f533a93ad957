"""Who may do what: the one place that answers it.

Views, the admin, templates and tests ask these functions; none of them repeats a rule.
What they answer is the table "Who may do what" of DESIGN.md:

- anonymous visitors read public events, published practices and regions;
- members (anyone signed in) also read members-only events, online links and
  participant lists, answer invitations and keep a personal calendar feed;
- region representatives also write and submit practices and edit their own region;
- the secretariat (active staff in the "Secretariat" group) does everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SECRETARIAT_GROUP

if TYPE_CHECKING:
    from accounts.models import User


def is_member(user: User) -> bool:
    # A guest (registered for a public event without an account) cannot sign in; were
    # one signed in all the same, they would see no more than a visitor.
    return bool(user.is_authenticated and user.is_active and not user.is_guest)


def is_secretariat(user: User) -> bool:
    if not is_member(user):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    if not hasattr(user, "_is_secretariat"):
        user._is_secretariat = user.groups.filter(name=SECRETARIAT_GROUP).exists()
    return user._is_secretariat


def represented_region_ids(user: User) -> frozenset[int]:
    """Ids of the regions this person represents (memoised for the request)."""
    if not is_member(user):
        return frozenset()
    if not hasattr(user, "_represented_region_ids"):
        from regions.models import RegionMembership

        user._represented_region_ids = frozenset(
            RegionMembership.objects.filter(
                user=user, role=RegionMembership.Role.REPRESENTATIVE
            ).values_list("region_id", flat=True)
        )
    return user._represented_region_ids


def remember_roles(user: User, *, in_secretariat_group: bool, represents_a_region: bool) -> None:
    """Fills the memos above from what was read with the person (accounts.backends), so
    that asking costs no query; the region ids are still read when a rule needs them."""
    user._is_secretariat = in_secretariat_group
    if not represents_a_region:
        user._represented_region_ids = frozenset()


def is_representative(user: User) -> bool:
    return bool(represented_region_ids(user))


def can_edit_region(user: User, region) -> bool:
    return is_secretariat(user) or region.pk in represented_region_ids(user)


def can_write_practices(user: User) -> bool:
    return is_secretariat(user) or is_representative(user)


def editable_regions(user: User):
    """The regions this person may write practices for and edit."""
    from regions.models import Region

    if is_secretariat(user):
        return Region.objects.all()
    return Region.objects.filter(pk__in=represented_region_ids(user))


def can_edit_practice(user: User, practice) -> bool:
    return is_secretariat(user) or practice.region_id in represented_region_ids(user)


def can_publish(user: User) -> bool:
    """Publishing practices, meetings and agendas, and sending mail."""
    return is_secretariat(user)


def can_see_members_only(user: User) -> bool:
    """Members-only events, online links and participant lists."""
    return is_member(user)


def deny(request: HttpRequest) -> HttpResponse:
    """The refusal DESIGN.md asks for: sign in first if anonymous, else 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


# -- Meetings ---------------------------------------------------------------------------


def can_see_meeting(user: User, meeting) -> bool:
    """Drafts: the secretariat only. Members-only events: members."""
    if meeting.status == meeting.Status.DRAFT:
        return is_secretariat(user)
    if meeting.visibility == meeting.Visibility.MEMBERS:
        return can_see_members_only(user)
    return True


def can_answer_meetings(user: User) -> bool:
    """Answering an invitation (and keeping a personal calendar feed)."""
    return is_member(user)


def can_check_in(user: User) -> bool:
    """The check-in page at the door: finding participants (guests' addresses too) and
    marking them present. The secretariat only."""
    return is_secretariat(user)


def can_export_participants(user: User) -> bool:
    """The participants' exports (CSV, XLSX, the attendance sheet, the badges): names,
    addresses, organisations and answers of guests and members, for the secretariat."""
    return is_secretariat(user)


# -- People ------------------------------------------------------------------------------


def can_change_people(user: User) -> bool:
    """Changing people's accounts in the admin, making members of guests among them: the
    secretariat holding the permission to change people (its group holds it)."""
    return is_secretariat(user) and user.has_perm("accounts.change_user")


# -- The secretariat's second factor ------------------------------------------------------

# What the secretariat must do before an admin page opens (admin_second_step).
SET_UP, VERIFY = "set_up", "verify"


def has_second_factor(user: User) -> bool:
    """Whether this person has set up an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def passed_second_step(user: User) -> bool:
    """Whether this session's person typed a code from their app or a recovery code
    (django-otp's OTPMiddleware reads it from the session)."""
    return getattr(user, "otp_device", None) is not None


def admin_second_step(user: User) -> str | None:
    """Before the admin opens: type a code (VERIFY), set up an app first (SET_UP, where
    STAFF_2FA is required), or nothing (None). Whoever has set up an app is asked for a
    code even where STAFF_2FA is optional: the app protects an account only if asked for."""
    if passed_second_step(user):
        return None
    if has_second_factor(user):
        return VERIFY
    if settings.STAFF_2FA == "required":
        return SET_UP
    return None


def can_remove_second_factor(user: User, person: User) -> bool:
    """A lost phone: another member of the secretariat removes its second factor (its
    owner cannot pass the second step without it); a superuser may remove anyone's."""
    return is_secretariat(user) and (user.is_superuser or person.pk != user.pk)


# -- The admin's technical lists ---------------------------------------------------------

# Apps whose admin lists are the machinery's, not the secretariat's work, and come
# untranslated: django-axes' sign-in records and django-celery-beat's periodic tasks. The
# secretariat lifts a sign-in pause from the people's list (UserAdmin.lift_signin_pause).
TECHNICAL_ADMIN_APPS = frozenset({"axes", "django_celery_beat"})


def can_see_technical_admin(user: User) -> bool:
    """The technical apps' admin lists: superusers only (those who run the servers)."""
    return bool(is_member(user) and user.is_superuser)
