from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from accounts import permissions


def roles(request):
    """What the navigation may offer; computed only if a template asks."""
    # Absent when the request was refused before AuthenticationMiddleware ran (a Host
    # not in ALLOWED_HOSTS): the 400 page is then shown as to a visitor.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "is_secretariat": SimpleLazyObject(lambda: permissions.is_secretariat(user)),
        "can_write_practices": SimpleLazyObject(lambda: permissions.can_write_practices(user)),
    }
