"""The secretariat's admin pages pass axe-core (WCAG 2.1 A and AA), as the site's pages do
(tests/browser/test_every_page.py).

In the demo world (seed_demo), the secretariat opens the admin's home page and, for every
list of the admin they may use, the list, its add page and the change page of one of its
objects; then the pages that ask first (publishing, cancelling and cloning a meeting,
closing accounts, returning a practice for changes), the invitation's preview, the
message form, a published meeting with its email progress, rows added by "Add another",
and the second factor's page.
What axe-core finds is listed page by page, but for the named exceptions below (each a
rule, an element and the reason it is Django's and not ours).
"""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from inbound.models import InboundMessage
from meetings.models import Meeting
from practices.models import Practice
from regions.models import Region
from tests.browser.checkers import axe_violations
from tests.factories.meetings import DraftMeetingFactory, MeetingFactory
from tests.factories.regions import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Violations that come from Django's own admin markup and cannot simply be changed
# from our code: (rule id, start of the element's selector, why).
EXCEPTIONS: list[tuple[str, str, str]] = []


def excepted(violation: str) -> bool:
    return any(
        violation.startswith(f"{rule} (") and f" at {selector}" in violation
        for rule, selector, _why in EXCEPTIONS
    )


def admin_paths(user) -> list[str]:
    """Every admin page the person may use: each list, its add page and one object's
    change (or, when read only, view) page."""
    request = RequestFactory().get("/admin/")
    request.user = user
    paths = [reverse("admin:index")]
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        if not model_admin.has_view_permission(request):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            paths.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    return paths


def confirmation(page, base: str, action: str, obj) -> None:
    """Ticks the object on its list, chooses the action and presses Go."""
    info = (obj._meta.app_label, obj._meta.model_name)
    page.goto(f"{base}{reverse('admin:{}_{}_changelist'.format(*info))}")
    page.locator(f"input[name=_selected_action][value='{obj.pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()
    page.wait_for_load_state()


def test_every_admin_page_of_the_secretariat_passes_axe_core(admin_page, live_server, secretariat):
    call_command("seed_demo", "--force", stdout=StringIO())
    draft = DraftMeetingFactory(title="A draft for the publish page")
    # The demo world receives no email: one message for the received email's page.
    raw = b"From: someone@example.org\r\nSubject: Question\r\n\r\nWhen does it start?\r\n"
    received = InboundMessage.objects.create(via="pipe", raw=raw, size=len(raw), digest="demo")
    published = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("start").last()
    base = live_server.url
    found: dict[str, list[str]] = {}
    opened: list[str] = []

    def check(what: str) -> None:
        opened.append(what)
        violations = [v for v in axe_violations(admin_page) if not excepted(v)]
        if violations:
            found[what] = violations

    for path in admin_paths(secretariat):
        response = admin_page.goto(base + path)
        assert response.status == 200, f"{path}: {response.status}"
        check(f"GET {path}")
    for path in (
        reverse("admin:meetings_meeting_change", args=[published.pk]),
        reverse("admin:meetings_invitation_preview", args=[draft.pk]),
        reverse("admin:meetings_meeting_message", args=[published.pk]),
        reverse("admin:second_factor"),
    ):
        response = admin_page.goto(base + path)
        assert response.status == 200, f"{path}: {response.status}"
        check(f"GET {path}")
    # A row added by "Add another": its autocomplete boxes are drawn then.
    for path, group in (
        (reverse("admin:meetings_meeting_change", args=[published.pk]), "agenda_items"),
        (reverse("admin:regions_region_change", args=[Region.objects.first().pk]), "memberships"),
    ):
        admin_page.goto(base + path)
        admin_page.locator(f"#{group}-group .add-row a").click()
        check(f"GET {path}, a row added to {group}")
    member = User.objects.filter(is_staff=False, closed_at__isnull=True).order_by("pk").first()
    for action, obj in (
        ("publish", draft),
        ("cancel", published),
        ("clone", published),
        ("close_accounts", member),
        ("return_for_changes", Practice.objects.order_by("pk").first()),
    ):
        confirmation(admin_page, base, action, obj)
        assert admin_page.locator("#content h1").count() == 1, action
        assert admin_page.locator("input[name=apply]").count() == 1, action
        check(f"the {action} confirmation of {obj}")

    assert len(opened) > 30, opened
    assert f"GET /admin/inbound/inboundmessage/{received.pk}/change/" in opened
    assert admin_page.console_errors == []
    report = [f"axe-core, {page}: {v}" for page, violations in found.items() for v in violations]
    if report:
        pytest.fail("\n".join(report), pytrace=False)


def test_an_autocomplete_box_is_named_after_its_label_and_what_is_chosen(admin_page, live_server):
    meeting = MeetingFactory(host_region=RegionFactory(name="Västra Götaland"))
    MeetingFactory(host_region=RegionFactory(name="Košice"))
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    box = admin_page.get_by_role("combobox", name="Host region: Västra Götaland", exact=True)
    assert box.count() == 1
    assert admin_page.get_by_role("textbox", name="Västra Götaland").count() == 0
    assert admin_page.console_errors == []


def test_a_box_of_several_choices_is_named_and_its_cross_still_clears_it(admin_page, live_server):
    meeting = MeetingFactory(partners=[PartnerFactory(acronym="CORAI"), PartnerFactory()])
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    partners = admin_page.locator("#id_partners")
    assert partners.evaluate("select => select.selectedOptions.length") == 2
    box = admin_page.locator("#id_partners + .select2-container")
    assert admin_page.get_by_role("searchbox", name="Co-organisers:", exact=True).count() == 1
    box.locator(".select2-selection__clear").click()
    assert partners.evaluate("select => select.selectedOptions.length") == 0
    assert admin_page.console_errors == []
