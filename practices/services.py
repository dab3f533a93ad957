"""The practice workflow: every change of a practice goes through these functions.

Views, admin actions and the demo seed call them; none of them changes a practice
directly. Each runs in one transaction; emails leave only after it commits.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import User
from practices.emails import practice_review_queue, practice_submission_queue
from practices.models import CONTENT_FIELDS, Attachment, Practice
from practices.uploads import inspect_upload
from regions.models import Region, RegionMembership

Status = Practice.Status
RESERVED_SLUGS = {"new"}  # /practices/new/ is a page of its own
EDITABLE = {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED}
# An edit of these starts a new version, which must be submitted (again) to be reviewed.
BACK_TO_DRAFT_WHEN_EDITED = {Status.SUBMITTED, Status.PUBLISHED}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "practice"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Practice.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _require_editor(user: User | None, practice: Practice) -> None:
    # None: the system itself (demo seed, scripts); people must have the right.
    if user is not None and not permissions.can_edit_practice(user, practice):
        raise PermissionDenied(_("Only the region's representatives and the secretariat."))


def _require_secretariat(user: User | None) -> None:
    if user is not None and not permissions.can_publish(user):
        raise PermissionDenied(_("Only the secretariat reviews practices."))


def _save(practice: Practice, user: User | None, reason: str) -> None:
    practice.full_clean()
    practice._history_user = user  # simple_history: who, even outside a request
    practice._change_reason = reason
    practice.save()


@transaction.atomic
def practice_create(
    *, region: Region, by: User | None, data: dict, slug: str | None = None
) -> Practice:
    """Creates a draft of `region` from `data` (CONTENT_FIELDS).

    Side effects: a unique slug from the title (or `slug`), a history record. Nothing is
    sent and nothing is public until the secretariat publishes it.
    """
    practice = Practice(region=region, created_by=by, status=Status.DRAFT)
    _require_editor(by, practice)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(practice, name, data[name])
    practice.slug = slug or _unique_slug(practice.title)
    _save(practice, by, "Created")
    return practice


@transaction.atomic
def practice_update(*, practice: Practice, by: User | None, data: dict) -> Practice:
    """Saves an edit of a practice's content.

    Before the first publication the edit goes into the practice itself. Once published,
    it goes into `practice.pending` and the published version stays as it is, visible
    and searchable, until `practice_publish`. A published practice whose edits are saved
    becomes a draft again (of its next version). So does a submitted one: the secretariat
    publishes only what it was sent, so an edit takes it out of the review queue until it
    is submitted again. A returned one keeps its status (and the comment). Archived
    practices cannot be edited. Side effect: a history record.
    """
    _require_editor(by, practice)
    if practice.status not in EDITABLE:
        raise ValidationError(_("An archived practice cannot be edited."))
    content = {name: data[name] for name in CONTENT_FIELDS if name in data}
    if practice.has_public_version:
        practice.pending = {**practice.working_copy(), **content}
        _check_content(practice)
    else:
        for name, value in content.items():
            setattr(practice, name, value)
    if practice.status in BACK_TO_DRAFT_WHEN_EDITED:
        practice.status = Status.DRAFT
    _save(practice, by, "Edited")
    return practice


@transaction.atomic
def practice_change(
    *, practice: Practice, by: User | None, data: dict, region: Region, slug: str
) -> Practice:
    """What the admin's change form does: moves `practice` to `region` and `slug`, and
    saves the content fields of `data` that differ from the version its editors work on
    through practice_update, so the site's rules hold (a published practice keeps its
    public version; a submitted one goes back to draft, out of the review queue). A save
    that changes no content, or restores the same version, keeps the review state.
    Side effect: a history record."""
    working = practice.working_copy()
    changed = {
        name: value
        for name, value in data.items()
        if name in CONTENT_FIELDS and working.get(name) != value
    }
    practice.region, practice.slug = region, slug
    if changed:
        return practice_update(practice=practice, by=by, data=changed)
    _require_editor(by, practice)
    _save(practice, by, "Edited")
    return practice


def _check_content(practice: Practice) -> None:
    """Validates pending edits with the model's own field rules."""
    trial = Practice(**{**practice.content(), **practice.pending})
    trial.region_id, trial.slug = practice.region_id, practice.slug
    trial.full_clean(exclude=["region", "slug"], validate_unique=False)


@transaction.atomic
def practice_submit(*, practice: Practice, by: User | None) -> Practice:
    """Sends a draft or returned practice (or the pending edits of a published one) to the
    secretariat's review queue. Side effects: a history record; one email to the
    secretariat's mailbox with a link to the review page, unless one about this practice
    already waits for a decision (see practice_submission_queue)."""
    _require_editor(by, practice)
    if practice.status not in {Status.DRAFT, Status.RETURNED}:
        raise ValidationError(
            _("A practice with the status “%(status)s” cannot be submitted.")
            % {"status": practice.get_status_display()}
        )
    practice.status = Status.SUBMITTED
    _save(practice, by, "Submitted for review")
    practice_submission_queue(practice=practice)
    return practice


def practice_version(practice: Practice) -> str:
    """A token of the version of `practice` as it is now: every save (an edit, a
    submission, a file that takes it back to draft) changes it. The review page carries
    it to `practice_publish`, so that what is published is what was read."""
    return practice.updated_at.isoformat() if practice.updated_at else ""


@transaction.atomic
def practice_publish(
    *, practice: Practice, by: User | None, version: str | None = None
) -> Practice:
    """Publishes a submitted practice: pending edits replace the published version.

    `version` (from practice_version, when the secretariat opened the write-up): refused
    if the practice was saved since, e.g. edited and submitted again meanwhile.

    Side effects: `published_at` set at the first publication, the review comment
    cleared, pending attachments made public, a history record, and after commit an
    email to the region's representatives (and the author).
    """
    _require_secretariat(by)
    if version is not None and version != practice_version(practice):
        raise ValidationError(
            _("The write-up changed since you opened it; read it again."), code="changed"
        )
    if practice.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted practices can be published."))
    if practice.pending is not None:
        for name, value in practice.pending.items():
            if name in CONTENT_FIELDS:
                setattr(practice, name, value)
        practice.pending = None
    practice.status = Status.PUBLISHED
    practice.review_comment = ""
    practice.published_at = practice.published_at or timezone.now()
    _save(practice, by, "Published")
    for attachment in practice.attachments.filter(pending=True):
        attachment.pending = False
        attachment._history_user = by
        attachment.save(update_fields=["pending"])
    _notify(practice, "published")
    return practice


@transaction.atomic
def practice_return(*, practice: Practice, by: User | None, comment: str) -> Practice:
    """Returns a submitted practice to its region with the secretariat's comment.

    A published version, if any, stays published meanwhile. Side effects: a history
    record, and after commit an email with the comment to the region's representatives.
    """
    _require_secretariat(by)
    if practice.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted practices can be returned."))
    if not comment.strip():
        raise ValidationError(_("Say what should change: the comment is required."))
    practice.status = Status.RETURNED
    practice.review_comment = comment.strip()
    _save(practice, by, "Returned for changes")
    _notify(practice, "returned")
    return practice


@transaction.atomic
def practice_archive(*, practice: Practice, by: User | None) -> Practice:
    """Archives an outdated practice: no longer listed, searched or counted; its page
    stays readable (meetings link to it) with a notice. Pending edits are dropped.
    Side effect: a history record (which keeps the dropped edits)."""
    _require_secretariat(by)
    practice.status = Status.ARCHIVED
    practice.pending = None
    _save(practice, by, "Archived")
    return practice


@transaction.atomic
def attachment_add(*, practice: Practice, by: User | None, upload) -> Attachment:
    """Checks an uploaded file by its content and attaches it to the practice.

    Side effects: the file stored under a generated name (attachments/<uuid>.<ext>), a
    history record. On a published practice the file stays pending (editors only) until
    the next publication. A submitted practice goes back to draft, as with any edit (see
    practice_update). Raises ValidationError and stores nothing for a refused file.
    """
    _require_editor(by, practice)
    if practice.status not in EDITABLE:
        raise ValidationError(_("An archived practice cannot get new attachments."))
    checked = inspect_upload(upload)
    if practice.status == Status.SUBMITTED:
        practice.status = Status.DRAFT
        _save(practice, by, "Attachment added")
    attachment = Attachment(
        practice=practice,
        original_name=checked.name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        pending=practice.has_public_version and practice.status != Status.PUBLISHED,
        uploaded_by=by,
    )
    attachment.file.save(checked.name, upload, save=False)
    try:
        attachment._history_user = by
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def practice_save(
    *,
    practice: Practice | None,
    region: Region | None,
    by: User,
    data: dict,
    uploads=(),
    submit: bool = False,
) -> Practice:
    """What the write and edit pages do: creates a draft (`practice` None, in `region`)
    or saves an edit, adds the uploads, and submits it for review when asked.

    All or nothing: a refused upload or submission leaves no new practice, no new file and
    no changed field behind (the ValidationError reaches the caller).
    """
    if practice is None:
        practice = practice_create(region=region, by=by, data=data)
    else:
        practice_update(practice=practice, by=by, data=data)
    for upload in uploads:
        attachment_add(practice=practice, by=by, upload=upload)
    if submit and practice.status != Status.SUBMITTED:
        practice_submit(practice=practice, by=by)
    return practice


def recipients(practice: Practice) -> list[User]:
    """Who hears of a review decision: the region's representatives and the author."""
    people = User.objects.filter(
        Q(
            region_memberships__region_id=practice.region_id,
            region_memberships__role=RegionMembership.Role.REPRESENTATIVE,
        )
        | Q(pk=practice.created_by_id),
        is_active=True,
    )
    return list(people.distinct().order_by("email"))


def _notify(practice: Practice, kind: str) -> None:
    """One outbox row per recipient in this transaction; Celery sends them after the
    commit, once each (see notifications.services)."""
    practice_review_queue(practice=practice, decision=kind, recipients=recipients(practice))


def person_practices(user: User, limit: int) -> list[dict]:
    """The practices the person wrote (created), newest first, for their export
    (accounts.services.account_export)."""
    rows = (
        Practice.objects.filter(created_by=user)
        .order_by("-created_at", "-pk")
        .values("title", "slug", "region__name", "status", "created_at", "published_at")[:limit]
    )
    return [
        {
            "title": row["title"],
            "slug": row["slug"],
            "region": row["region__name"],
            "status": row["status"],
            "created_at": row["created_at"],
            "published_at": row["published_at"],
        }
        for row in rows
    ]
