"""Addresses of the admin typed or forged by hand: a clear refusal (400) or an empty
answer, never a 500. Each check runs over every admin of the portal, so an admin added
later with a date hierarchy or an autocomplete field is covered too."""

import warnings

import pytest
from django.contrib import admin
from django.core.paginator import UnorderedObjectListWarning

from accounts.permissions import TECHNICAL_ADMIN_APPS
from tests.factories.meetings import MeetingFactory, WorkingGroupFactory
from tests.factories.practices import PracticeFactory
from tests.factories.regions import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def date_hierarchies() -> list:
    return list(_date_hierarchies())


def _date_hierarchies():
    for model, model_admin in admin.site._registry.items():
        if model_admin.date_hierarchy:
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            yield pytest.param(url, model_admin.date_hierarchy, id=url)


def autocomplete_fields() -> list:
    """(app_label, model_name, field_name) of every autocomplete field, inlines too."""
    keys = set()
    for model, model_admin in admin.site._registry.items():
        for holder in [model_admin, *model_admin.inlines]:
            for field in holder.autocomplete_fields:
                meta = (holder.model if holder is not model_admin else model)._meta
                keys.add((meta.app_label, meta.model_name, field))
    return [pytest.param(*key, id=".".join(key)) for key in sorted(keys)]


@pytest.mark.parametrize(
    "query",
    [
        "{f}__year=99999",
        "{f}__year=abc",
        "{f}__year=2024&{f}__month=13",
        "{f}__year=2024&{f}__month=2&{f}__day=30",
        "{f}__year=9999&{f}__month=12",  # the next month is in year 10000
        "{f}__year=1",
        "{f}__year=%D9%A2%D9%A0%D9%A2%D9%A4",  # Arabic-Indic digits: not ASCII ones
    ],
)
@pytest.mark.parametrize(("url", "field"), date_hierarchies())
def test_a_list_asked_for_a_date_it_cannot_show_answers_400_and_says_why(
    django_app, secretariat, url, field, query
):
    page = django_app.get(f"{url}?{query.format(f=field)}", user=secretariat, status=400)
    assert "nothing was changed" in page.text


@pytest.mark.parametrize(("url", "field"), date_hierarchies())
def test_a_list_narrowed_to_a_real_day_still_opens(django_app, secretariat, superuser, url, field):
    # The technical apps' lists are the superusers' alone.
    technical = url.split("/")[2] in TECHNICAL_ADMIN_APPS
    query = f"{field}__year=2024&{field}__month=3&{field}__day=27"
    user = superuser if technical else secretariat
    assert django_app.get(f"{url}?{query}", user=user).status_code == 200


def a_few_of_everything():
    WorkingGroupFactory.create_batch(3)
    MembershipFactory()
    PracticeFactory()
    PartnerFactory()
    MeetingFactory()


JUNK = {
    "page=abc": 400,
    "page=0": 400,
    "page=-1": 400,
    "page=1.5": 400,
    "page=99999999999999999999": 400,
    "page=²": 400,
    "page=500": 200,  # past the last page: no results
    "term=" + "a+" * 3000: 400,
    "term=zzqq&term=qqzz": 200,
    "term=%ff%fe": 200,
    "term=%00": 404,  # NulCharactersMiddleware: no address holds a NUL
}


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), autocomplete_fields())
def test_the_autocomplete_answers_junk_with_400_or_no_results(
    django_app, secretariat, app_label, model_name, field_name
):
    a_few_of_everything()
    base = (
        f"/admin/autocomplete/?app_label={app_label}&model_name={model_name}"
        f"&field_name={field_name}"
    )
    for junk, status in JUNK.items():
        answer = django_app.get(f"{base}&{junk}", user=secretariat, status=status)
        if status == 200:
            assert answer.json == {"results": [], "pagination": {"more": False}}, junk
        elif status == 400:
            assert answer.json["error"], junk


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), autocomplete_fields())
def test_the_autocomplete_pages_in_a_stable_order(
    django_app, secretariat, app_label, model_name, field_name
):
    a_few_of_everything()
    url = (
        f"/admin/autocomplete/?app_label={app_label}&model_name={model_name}"
        f"&field_name={field_name}&term="
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        assert django_app.get(url, user=secretariat).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "",
        "app_label=meetings",
        "app_label=meetings&model_name=meeting&field_name=title",
        "app_label=nope&model_name=meeting&field_name=working_group",
        "app_label=meetings&model_name=meeting&field_name=working_group&page=x",
    ],
)
def test_the_autocomplete_with_missing_or_unknown_names_refuses_without_an_error(
    django_app, secretariat, query
):
    answer = django_app.get(f"/admin/autocomplete/?{query}", user=secretariat, expect_errors=True)
    assert answer.status_code in {400, 403}
