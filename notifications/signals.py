"""People who join a published meeting's audience after publishing are invited when they
join: added to its working group, to the meeting's invitees, or to an invited region or
group. The handlers run inside the transaction that adds them (the admin's form save)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone


def _invite_for(meetings) -> None:
    from notifications.services import meeting_invitations_queue

    for meeting in meetings:
        meeting_invitations_queue(meeting=meeting)


def _upcoming():
    from meetings.models import Meeting

    return Meeting.objects.published().filter(end__gt=timezone.now())


def _group_members_added(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action != "post_add" or not pk_set:
        return
    from meetings.models import WorkingGroup

    # group.members.add(people) or person.working_groups.add(groups)
    groups = WorkingGroup.objects.filter(pk__in=pk_set) if reverse else [instance]
    group_ids = [group.pk for group in groups]
    _invite_for(
        _upcoming()
        .filter(Q(working_group_id__in=group_ids) | Q(invited_groups__in=group_ids))
        .distinct()
    )


def _meeting_audience_added(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action != "post_add" or not pk_set:
        return
    from meetings.models import Meeting

    if not reverse:
        _invite_for([instance] if instance.status == Meeting.Status.PUBLISHED else [])
    else:  # region.invited_to.add(meeting), person.invited_to.add(meeting)
        _invite_for(_upcoming().filter(pk__in=pk_set))


def _region_member_added(sender, instance, created, **kwargs) -> None:
    if created:
        _invite_for(_upcoming().filter(invited_regions=instance.region_id))


def connect() -> None:
    from meetings.models import Meeting, WorkingGroup

    m2m_changed.connect(
        _group_members_added,
        sender=WorkingGroup.members.through,
        dispatch_uid="notifications-group-members",
    )
    for field in (Meeting.invitees, Meeting.invited_regions, Meeting.invited_groups):
        m2m_changed.connect(
            _meeting_audience_added,
            sender=field.through,
            dispatch_uid=f"notifications-{field.field.name}",
        )
    post_save.connect(
        _region_member_added,
        sender="regions.RegionMembership",
        dispatch_uid="notifications-region-members",
    )
