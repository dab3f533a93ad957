import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts import permissions
from asa_portal.cache import public_page, shared_html
from asa_portal.spreadsheets import safe_row
from meetings.models import Meeting
from practices.models import Practice
from regions import selectors, services
from regions.forms import IndicatorFormSet, RegionProfileForm
from regions.models import Region, RegionMembership

REGION_PRACTICES_SHOWN = 10
Status = Practice.Status


@public_page
def region_list(request: HttpRequest) -> HttpResponse:
    content = shared_html(
        "regions/_list_content.html",
        user=None,
        context=lambda: {"regions": Region.objects.by_country()},
    )
    return render(request, "regions/list.html", {"content": content})


@public_page
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    practices = region.practices.published()
    representatives = []
    if permissions.is_member(request.user):
        representatives = [
            membership.user
            for membership in RegionMembership.objects.filter(
                region=region, role=RegionMembership.Role.REPRESENTATIVE
            ).select_related("user")
        ]
    indicators = list(region.indicators.select_related("region").order_by("kind", "year"))
    return render(
        request,
        "regions/detail.html",
        {
            "region": region,
            "practices": practices[:REGION_PRACTICES_SHOWN],
            "practice_count": practices.count(),
            "representatives": representatives,
            "presented_at": Meeting.objects.visible_to(request.user).presented_by(region),
            "indicator_tables": selectors.indicator_tables(indicators),
            "can_edit": permissions.can_edit_region(request.user, region),
            # Its editors also see what is in progress (drafts, in review, returned).
            "in_progress": (
                region.practices.exclude(status__in=[Status.PUBLISHED, Status.ARCHIVED])
                if permissions.can_edit_region(request.user, region)
                else []
            ),
        },
    )


def region_edit(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    if not permissions.can_edit_region(request.user, region):
        return permissions.deny(request)
    form = RegionProfileForm(request.POST or None, instance=region, prefix="profile")
    formset = IndicatorFormSet(request.POST or None, instance=region, prefix="indicators")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                services.region_update(
                    region=region,
                    by=request.user,
                    description=form.cleaned_data["description"],
                    website=form.cleaned_data["website"],
                )
                for indicator in formset.save(commit=False):
                    services.indicator_save(indicator=indicator, by=request.user)
                for indicator in formset.deleted_objects:
                    services.indicator_delete(indicator=indicator, by=request.user)
        except ValidationError as error:
            # E.g. the same kind and year twice among the new rows.
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("The region's profile and figures are saved."))
            return redirect(region)
    return render(
        request, "regions/edit.html", {"region": region, "form": form, "formset": formset}
    )


def _percent(value) -> str:
    """A percentage in the reader's conventions: 12.5% in English, 12,5 % in French."""
    return _("%(value)s%%") % {"value": number_format(value)}


def _compare_context() -> dict:
    regions = list(selectors.practice_matrix())
    indicators = list(selectors.all_indicators())
    shares = selectors.upskilled_shares(indicators)
    target = _percent(selectors.ASA_TARGET_PERCENT)
    return {
        "regions": regions,
        "columns": selectors.COLUMNS,
        "indicator_tables": selectors.indicator_tables(indicators),
        "shares": shares,
        "target": selectors.ASA_TARGET_PERCENT,
        "practices_chart": selectors.bar_chart(
            "chart-practices",
            _("Published practices per region"),
            _("Horizontal bars: the number of published best practices of each member region."),
            [(r.name, r.total, number_format(r.total, force_grouping=True)) for r in regions],
        ),
        "share_chart": selectors.bar_chart(
            "chart-upskilled",
            _("Share of the automotive workforce up- or reskilled"),
            _(
                "Horizontal bars: per region, the people up- or reskilled as a percentage of "
                "automotive employment in the latest year with both figures; the dashed line "
                "is the ASA target of %(target)s a year."
            )
            % {"target": target},
            [
                (f"{s['region'].name} ({s['year']})", s["share"], _percent(s["share"]))
                for s in shares
            ],
            target=selectors.ASA_TARGET_PERCENT,
            target_label=_("target %(target)s") % {"target": target},
        ),
    }


@public_page
def compare(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "csv":
        return compare_csv(request)
    context = _compare_context()
    context["cells"] = [
        (
            region,
            [
                (getattr(region, f"{group}_{key}"), f"?region={region.slug}&{group}={key}")
                for group, key, _ in selectors.COLUMNS
            ],
        )
        for region in context["regions"]
    ]
    return render(request, "regions/compare.html", context)


def compare_csv(request: HttpRequest) -> HttpResponse:
    """The compare view's figures in one long table: one row per region, measure and year.

    A data file, not a page: the same in every language (English column names and
    measures, numbers with a decimal point), so that scripts and spreadsheets read it
    the same whoever downloaded it."""
    with translation.override("en"):
        return _compare_csv()


def _compare_csv() -> HttpResponse:
    context = _compare_context()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="asa-regions-compare.csv"'
    writer = csv.writer(response)
    writer.writerow(["region", "country", "measure", "year", "value", "unit", "source"])
    for region in context["regions"]:
        measures = [("Published practices", region.total)] + [
            (f"Published practices: {label}", getattr(region, f"{group}_{key}"))
            for group, key, label in selectors.COLUMNS
        ]
        for measure, value in measures:
            row = [region.name, region.country.code, measure, "", value, "practices", "ASA Portal"]
            writer.writerow(safe_row(row))
    for indicator in selectors.all_indicators():
        row = [
            indicator.region.name,
            indicator.region.country.code,
            indicator.get_kind_display(),
            indicator.year,
            indicator.value.normalize() if indicator.value % 1 else int(indicator.value),
            indicator.unit,
            indicator.source,
        ]
        writer.writerow(safe_row(row))
    for share in context["shares"]:
        row = [
            share["region"].name,
            share["region"].country.code,
            "Share of automotive workforce up- or reskilled",
            share["year"],
            share["share"],
            "%",
            f"ASA Portal, from the region's figures (target {selectors.ASA_TARGET_PERCENT}%)",
        ]
        writer.writerow(safe_row(row))
    return response
