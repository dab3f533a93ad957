from django.utils.functional import SimpleLazyObject

from accounts import permissions


def roles(request):
    """What the navigation may offer; computed only if a template asks."""
    user = request.user
    return {
        "is_secretariat": SimpleLazyObject(lambda: permissions.is_secretariat(user)),
        "can_write_practices": SimpleLazyObject(lambda: permissions.can_write_practices(user)),
    }
