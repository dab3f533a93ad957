"""Django's ModelBackend, reading the signed-in person from the shared cache.

Every signed-in request loads its person, and the navigation then asks whether they may
write practices: two queries on every page. The person is read once with those roles
(`User.objects.with_roles()`) and kept in the cache under the portal's generation
(asa_portal.cache), which any change to people, groups or region memberships moves on
(also at the commit);
saving the person also forgets them, whatever fields were saved. Code that changes a
person with update() calls `forget_person`. The timeout bounds anything missed.
"""

from __future__ import annotations

from django.contrib.auth import backends
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from accounts import permissions
from accounts.models import User
from asa_portal.cache import generation

PERSON_TIMEOUT = 60


def _key(user_id) -> str:
    return f"person:{generation()}:{user_id}"


def forget_person(user_id, using: str = "default") -> None:
    cache.delete(_key(user_id))
    # Again once committed: a request between the change and its commit may have read
    # the old row and kept it.
    transaction.on_commit(lambda: cache.delete(_key(user_id)), using=using)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        key = _key(user_id)
        user = cache.get(key)
        if user is None:
            user = User.objects.with_roles().filter(pk=user_id).first()
            if user is None:
                return None
            permissions.remember_roles(
                user,
                in_secretariat_group=user.in_secretariat_group,
                represents_a_region=user.represents_a_region,
            )
            cache.set(key, user, PERSON_TIMEOUT)
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        # Guests registered for a public event without an account never sign in.
        return super().user_can_authenticate(user) and not getattr(user, "is_guest", False)


def _person_saved(sender, instance, using=None, **kwargs) -> None:
    # Whatever was saved: their language, say, moves no page's generation on.
    forget_person(instance.pk, using=using or "default")


def connect_forgetting() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_person_saved, sender=User, dispatch_uid=f"person-{id(signal)}")
