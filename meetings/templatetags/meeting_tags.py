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
    return timefmt.moment_in_zone(moment, meeting)


@register.filter
def long_date(moment) -> str:
    """{{ practice.updated_at|long_date }} -> "27 March 2024", "27. marca 2024": the day in
    the reader's language (Django's formats give Slovak months in the nominative)."""
    if not moment:
        return ""
    if hasattr(moment, "astimezone"):
        from django.utils import timezone

        moment = timezone.localtime(moment)
    return timefmt.long_date(moment)


@register.simple_tag(takes_context=True)
def personal_feed_url(context, user) -> str:
    from django.urls import reverse

    path = reverse("meetings:calendar_personal", args=[user.calendar_token])
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


@register.filter
def kind_of_group(meeting) -> str:
    """{{ meeting|kind_of_group }} -> "Working group meeting of WG4 Regional Implementation"."""
    from meetings.models import kind_of_group as words

    return words(meeting)


@register.filter
def number(value) -> str:
    """{{ meeting.capacity|number }} -> "1,750", "1.750", "1 750": the reader's grouping."""
    if value is None or value == "":
        return ""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=timefmt.babel_locale())


@register.filter
def google_calendar_url(meeting) -> str:
    from meetings.web_calendars import google_calendar_url as url

    return url(meeting)


@register.filter
def outlook_url(meeting) -> str:
    from meetings.web_calendars import outlook_url as url

    return url(meeting)


@register.filter
def webcal(url: str) -> str:
    """{{ feed_address|webcal }} -> the same feed as a subscribe link (webcal://)."""
    from meetings.web_calendars import webcal as subscribe

    return subscribe(url)


@register.simple_tag
def site_url(name: str, *args) -> str:
    """{% site_url "meetings:calendar_feed" %} -> the address on the site (SITE_URL), for
    pages cached for every reader whatever host they came by."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse(name, args=args)
