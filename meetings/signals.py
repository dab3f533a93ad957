"""People who join a published meeting's audience after publishing are invited when they
join: added to its working group, to the meeting's invitees, or to an invited region or
group. The handlers run inside the transaction that adds them (the admin's form save)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone


def _invite(meetings, people_ids) -> None:
    from meetings.invitations import invitations_queue

    invitations_queue(meetings=list(meetings), people_ids=people_ids)


def _upcoming():
    from meetings.models import Meeting

    return Meeting.objects.published().filter(end__gt=timezone.now())


def _members_of_groups(group_ids):
    from accounts.models import User

    return User.objects.filter(working_groups__in=group_ids).values_list("pk", flat=True)


def _members_of_regions(region_ids):
    from accounts.models import User

    return User.objects.filter(regions__in=region_ids).values_list("pk", flat=True)


def _group_members_added(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action != "post_add" or not pk_set:
        return
    # group.members.add(people), or person.working_groups.add(groups)
    group_ids, people = (pk_set, [instance.pk]) if reverse else ([instance.pk], pk_set)
    meetings = (
        _upcoming()
        .filter(Q(working_group_id__in=group_ids) | Q(invited_groups__in=group_ids))
        .distinct()
    )
    _invite(meetings, people)


def _who_is_added(sender, ids):
    """The people that adding these objects to a meeting's audience brings in."""
    from meetings.models import Meeting

    if sender is Meeting.invited_regions.through:
        return _members_of_regions(ids)
    if sender is Meeting.invited_groups.through:
        return _members_of_groups(ids)
    return ids


def _meeting_audience_added(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action != "post_add" or not pk_set:
        return
    if not reverse:  # meeting.invitees.add(people), meeting.invited_regions.add(regions) …
        _invite([instance], _who_is_added(sender, pk_set))
    else:  # person.invited_to.add(meetings), region.invited_to.add(meetings) …
        _invite(_upcoming().filter(pk__in=pk_set), _who_is_added(sender, [instance.pk]))


def _region_member_added(sender, instance, created, **kwargs) -> None:
    if created:
        _invite(_upcoming().filter(invited_regions=instance.region_id), [instance.user_id])


def connect() -> None:
    from meetings.models import Meeting, WorkingGroup

    m2m_changed.connect(
        _group_members_added,
        sender=WorkingGroup.members.through,
        dispatch_uid="meetings-invite-group-members",
    )
    for field in (Meeting.invitees, Meeting.invited_regions, Meeting.invited_groups):
        m2m_changed.connect(
            _meeting_audience_added,
            sender=field.through,
            dispatch_uid=f"meetings-invite-{field.field.name}",
        )
    post_save.connect(
        _region_member_added,
        sender="regions.RegionMembership",
        dispatch_uid="meetings-invite-region-members",
    )
