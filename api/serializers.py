"""What the API shows of each public object: only what a visitor sees on the site.

Never here: online links, participants or answer counts, people (working group members,
region representatives), drafts and pending edits of practices. Every field is listed
by name, so that a field added to a model does not appear here by itself.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.models import Meeting, WorkingGroup, agenda_schedule
from practices.models import THEMES, TRANSITIONS, Attachment, Practice
from regions.models import Indicator, Partner, Region


def absolute(serializer: serializers.Serializer, path: str) -> str:
    return serializer.context["request"].build_absolute_uri(path)


class SiteLinkMixin:
    """`url`: the object's page on the portal; `api_url`: its address in the API."""

    api_url_name = ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self, obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj) -> str:
        return absolute(self, reverse(self.api_url_name, args=[self.lookup(obj)]))

    def lookup(self, obj) -> str:
        return obj.slug


class RegionRefSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Region
        fields = ["slug", "name", "country"]


class GroupRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkingGroup
        fields = ["code", "name"]


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["acronym", "name", "website"]


class ShowcasedPracticeSerializer(SiteLinkMixin, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = ["slug", "title", "url"]


class AgendaItemSerializer(serializers.Serializer):
    """One slot of the agenda: the item with its local start and end."""

    position = serializers.IntegerField(source="item.position")
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    duration_minutes = serializers.IntegerField(source="item.duration_minutes")
    title = serializers.CharField(source="item.title")
    kind = serializers.CharField(source="item.kind")
    presenters = serializers.CharField(source="item.presenters")
    presenting_region = RegionRefSerializer(source="item.presenting_region", allow_null=True)
    showcased_practice = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_start(self, slot) -> str:
        return slot.start.isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_end(self, slot) -> str:
        return slot.end.isoformat()

    @extend_schema_field(ShowcasedPracticeSerializer(allow_null=True))
    def get_showcased_practice(self, slot):
        practice = slot.item.showcased_practice
        # A practice that is not (or no longer) published stays out, as on the site.
        if practice is None or not practice.is_listed:
            return None
        return ShowcasedPracticeSerializer(practice, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_document(self, slot) -> str | None:
        item = slot.item
        if not item.document:
            return None
        return absolute(self, reverse("meetings:document", args=[item.meeting.slug, item.pk]))


class MeetingSerializer(SiteLinkMixin, serializers.ModelSerializer):
    """Times are local to the event (ISO 8601 with its offset); `time_zone` names the zone."""

    api_url_name = "api:meeting-detail"

    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    calendar = serializers.SerializerMethodField()
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    working_group = GroupRefSerializer(allow_null=True)
    host_region = RegionRefSerializer(allow_null=True)
    partners = PartnerSerializer(many=True)
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "working_group",
            "description",
            "start",
            "end",
            "time_zone",
            "format",
            "venue",
            "address",
            "host_region",
            "partners",
            "url",
            "api_url",
            "calendar",
            "agenda",
        ]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_start(self, meeting: Meeting) -> str:
        return meeting.local_start.isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_end(self, meeting: Meeting) -> str:
        return meeting.local_end.isoformat()

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar(self, meeting: Meeting) -> str:
        return absolute(self, reverse("meetings:ics", args=[meeting.slug]))

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, meeting: Meeting):
        slots = agenda_schedule(meeting, meeting.agenda_items.all())
        return AgendaItemSerializer(slots, many=True, context=self.context).data


class WorkingGroupSerializer(SiteLinkMixin, serializers.ModelSerializer):
    api_url_name = "api:group-detail"

    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    meetings = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = ["code", "name", "mandate", "url", "api_url", "meetings"]

    def lookup(self, group: WorkingGroup) -> str:
        return group.code

    @extend_schema_field(OpenApiTypes.URI)
    def get_meetings(self, group: WorkingGroup) -> str:
        """Its upcoming public meetings in the API."""
        return absolute(self, f"{reverse('api:meeting-list')}?working_group={group.code}")


class FigureSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_kind_display")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Indicator
        fields = ["kind", "label", "year", "value", "unit", "source"]


class PracticeCountsSerializer(serializers.Serializer):
    """Published practices of the region: all, and per theme and transition."""

    total = serializers.IntegerField()
    skills = serializers.IntegerField(source="theme_skills")
    education = serializers.IntegerField(source="theme_education")
    employment = serializers.IntegerField(source="theme_employment")
    green = serializers.IntegerField(source="transition_green")
    digital = serializers.IntegerField(source="transition_digital")


class RegionSerializer(SiteLinkMixin, serializers.ModelSerializer):
    api_url_name = "api:region-detail"

    country = serializers.CharField(source="country.code")
    country_name = serializers.CharField(source="country.name")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    practices = PracticeCountsSerializer(source="*")
    figures = FigureSerializer(source="indicators", many=True)

    class Meta:
        model = Region
        fields = [
            "slug",
            "name",
            "country",
            "country_name",
            "kind",
            "description",
            "website",
            "url",
            "api_url",
            "practices",
            "figures",
        ]


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["name", "content_type", "size", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: Attachment) -> str:
        return absolute(
            self, reverse("practices:attachment", args=[attachment.practice.slug, attachment.pk])
        )


class PracticeSerializer(SiteLinkMixin, serializers.ModelSerializer):
    """The published version; edits waiting for review are never shown."""

    api_url_name = "api:practice-detail"

    region = RegionRefSerializer()
    description = serializers.CharField(source="body", help_text="Markdown.")
    description_html = serializers.CharField(
        source="body_html", help_text="The description rendered and sanitised."
    )
    themes = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()
    archived = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, source="public_attachments")

    class Meta:
        model = Practice
        fields = [
            "slug",
            "title",
            "region",
            "language",
            "summary",
            "summary_language",
            "description",
            "description_html",
            "themes",
            "transitions",
            "results",
            "contact",
            "published_at",
            "archived",
            "url",
            "api_url",
            "attachments",
        ]

    def get_themes(self, practice: Practice) -> list[str]:
        return [key for key in THEMES if getattr(practice, f"theme_{key}")]

    def get_transitions(self, practice: Practice) -> list[str]:
        return [key for key in TRANSITIONS if getattr(practice, f"transition_{key}")]

    def get_archived(self, practice: Practice) -> bool:
        return practice.status == Practice.Status.ARCHIVED
