from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from asa_portal.cache import public_page
from asa_portal.health import check_all
from meetings.models import Meeting, WorkingGroup
from practices.models import Practice


@public_page
def home(request: HttpRequest) -> HttpResponse:
    practices = Practice.objects.published().select_related("region")[:4]
    meetings = (
        Meeting.objects.visible_to(request.user)
        .upcoming()
        .select_related("working_group", "host_region")[:4]
    )
    return render(
        request,
        "home.html",
        {"practices": practices, "meetings": meetings, "groups": WorkingGroup.objects.all()},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = check_all()
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return redirect(static("img/favicon.svg"))
