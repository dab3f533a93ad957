"""The read-only API: the public side of the site, as JSON.

Every view reads through the QuerySet methods and filters the site's pages use, always
as an anonymous visitor (accounts.permissions decides what that is), whoever asks.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.cache import cached_answer
from api.filters import PracticeSearch
from asa_portal.cache import public_page
from meetings.filters import MeetingFilter
from meetings.models import AgendaItem, Meeting, WorkingGroup
from practices.models import Attachment, Practice
from regions.models import Indicator
from regions.selectors import practice_matrix


class JsonAlways(BaseContentNegotiation):
    """JSON whatever the request says: `?format=` is a filter of /meetings/ (in person,
    online, hybrid), not DRF's choice of renderer."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PublicRead:
    """GET only, from the shared cache, with ETag and Last-Modified (api/cache.py).

    In English whatever the caller's language: one cached answer per address serves
    every caller, and labels in it (a figure's, a country's name) are data for programs.
    """

    http_method_names = ["get", "head", "options"]
    content_negotiation_class = JsonAlways

    def dispatch(self, request, *args, **kwargs):
        dispatch = super().dispatch
        with translation.override("en"):
            return cached_answer(request, lambda: dispatch(request, *args, **kwargs))


def public_meetings():
    """What an anonymous visitor may see: announced (published or cancelled), public."""
    return (
        Meeting.objects.visible_to(AnonymousUser())
        .select_related("working_group", "host_region")
        .prefetch_related(
            "partners",
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related(
                    "presenting_region", "showcased_practice"
                ),
            ),
        )
    )


class Root(PublicRead, APIView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        names = {
            "meetings": "api:meeting-list",
            "past_meetings": "api:meeting-past",
            "groups": "api:group-list",
            "regions": "api:region-list",
            "practices": "api:practice-list",
            "schema": "api:schema",
            "docs": "api:docs",
        }
        return Response(
            {key: request.build_absolute_uri(reverse(name)) for key, name in names.items()}
        )


class MeetingList(PublicRead, generics.ListAPIView):
    """Upcoming public events, soonest first, with their agendas; /meetings/'s filters."""

    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return public_meetings().upcoming()


class MeetingPastList(MeetingList):
    """Past public events, newest first (the archive)."""

    def get_queryset(self):
        return public_meetings().past()


class MeetingDetail(PublicRead, generics.RetrieveAPIView):
    serializer_class = serializers.MeetingSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return public_meetings()


class GroupList(PublicRead, generics.ListAPIView):
    serializer_class = serializers.WorkingGroupSerializer
    queryset = WorkingGroup.objects.order_by("code")


class GroupDetail(PublicRead, generics.RetrieveAPIView):
    serializer_class = serializers.WorkingGroupSerializer
    queryset = WorkingGroup.objects.all()
    lookup_field = "code"


def regions_with_figures():
    """The compare view's counts of published practices, and each region's figures."""
    return practice_matrix().prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("kind", "year"))
    )


class RegionList(PublicRead, generics.ListAPIView):
    serializer_class = serializers.RegionSerializer

    def get_queryset(self):
        return regions_with_figures()


class RegionDetail(PublicRead, generics.RetrieveAPIView):
    serializer_class = serializers.RegionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return regions_with_figures()


def _with_public_files(practices):
    return practices.select_related("region").prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(pending=False),
            to_attr="public_attachments",
        )
    )


class PracticeList(PublicRead, generics.ListAPIView):
    """Published practices, newest first; `q` searches as /practices/ does (best first)."""

    serializer_class = serializers.PracticeSerializer
    filterset_class = PracticeSearch

    def get_queryset(self):
        return _with_public_files(
            Practice.objects.published().order_by("-published_at", "title", "pk")
        )


class PracticeDetail(PublicRead, generics.RetrieveAPIView):
    """One published practice; archived ones too, as at their address on the site."""

    serializer_class = serializers.PracticeSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return _with_public_files(Practice.objects.publicly_readable())


class Schema(PublicRead, SpectacularAPIView):
    """The OpenAPI description (YAML; JSON with ?format=json)."""

    content_negotiation_class = DefaultContentNegotiation


@public_page
def docs(request):
    """Swagger UI from static/ (drf-spectacular-sidecar), started by a script file: the
    site's Content-Security-Policy allows no inline script."""
    return render(request, "api/docs.html")
