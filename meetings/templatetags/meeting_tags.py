from django import template

from meetings import timefmt

register = template.Library()


@register.filter
def when(meeting) -> str:
    """{{ meeting|when }} -> "Wed 27 March 2024, 10:00–13:00 (Brussels time)"."""
    return timefmt.meeting_when(meeting)


@register.filter
def when_for(meeting, user) -> str:
    """{{ meeting|when_for:user }} -> the viewer's own time, or "" if it is the same."""
    return timefmt.meeting_when_for(meeting, user)


@register.filter
def day(meeting) -> str:
    return timefmt.meeting_date(meeting)


@register.filter
def in_zone_of(moment, meeting) -> str:
    """{{ meeting.registration_deadline|in_zone_of:meeting }}: a moment in the event's zone."""
    if not moment:
        return ""
    local = moment.astimezone(meeting.zone)
    return f"{local:%a} {local.day} {local:%B %Y}, {local:%H:%M} ({meeting.zone_label})"


@register.simple_tag(takes_context=True)
def personal_feed_url(context, user) -> str:
    from django.urls import reverse

    path = reverse("meetings:calendar_personal", args=[user.calendar_token])
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path
