from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import SECRETARIAT_GROUP, User

# The secretariat manages everything the portal holds, and the periodic tasks.
SECRETARIAT_APPS = [
    "accounts",
    "regions",
    "meetings",
    "practices",
    "notifications",
    "inbound",
    "django_celery_beat",
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
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(
        email=email.lower(),
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
