from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import permissions
from asa_portal.cache import public_page, shared_html
from meetings.models import Meeting
from practices import services
from practices.filters import PracticeFilter
from practices.forms import PracticeForm
from practices.models import Attachment, Practice
from practices.text import render_markdown

PAGE_SIZE = 20


@public_page
def practice_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict:
        queryset = Practice.objects.published().select_related("region")
        practice_filter = PracticeFilter(request.GET or None, queryset=queryset)
        page = Paginator(practice_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return {
            "filter": practice_filter,
            "page_obj": page,
            "searching": bool(request.GET.get("q")),
            "query": request.GET,
        }

    # Published practices only: the search and its cards are the same for everyone.
    content = shared_html(
        "practices/_list_content.html", request.get_full_path(), user=None, context=context
    )
    return render(request, "practices/list.html", {"content": content})


@public_page
def practice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice.objects.select_related("region"), slug=slug)
    can_edit = permissions.can_edit_practice(request.user, practice)
    if not practice.has_public_version and not can_edit:
        return permissions.deny(request)
    attachments = [a for a in practice.attachments.all() if can_edit or not a.pending]
    pending = practice.working_copy() if can_edit and practice.pending is not None else None
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "attachments": attachments,
            "can_edit": can_edit,
            "pending": pending,
            "showcased_at": Meeting.objects.visible_to(request.user).showcasing(practice),
        },
    )


def practice_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_write_practices(request.user):
        return permissions.deny(request)
    regions = permissions.editable_regions(request.user)
    form = PracticeForm(request.POST or None, request.FILES or None, regions=regions)
    return _practice_form(request, form, practice=None)


def practice_edit(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice.objects.select_related("region"), slug=slug)
    if not permissions.can_edit_practice(request.user, practice):
        return permissions.deny(request)
    if practice.status == Practice.Status.ARCHIVED:
        messages.error(request, _("This practice is archived and can no longer be edited."))
        return redirect(practice)
    form = PracticeForm(
        request.POST or None, request.FILES or None, initial=practice.working_copy()
    )
    return _practice_form(request, form, practice=practice)


def _practice_form(request: HttpRequest, form: PracticeForm, practice: Practice | None):
    """The write and edit pages: preview, save, or save and submit."""
    preview = preview_language = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        if action == "preview":
            # Bounded: the form refuses a body over Practice.MAX_BODY_LENGTH.
            preview = render_markdown(form.cleaned_data["body"])
            preview_language = form.cleaned_data["language"]
        else:
            was_in_review = practice is not None and practice.status == Practice.Status.SUBMITTED
            try:
                saved = services.practice_save(
                    practice=practice,
                    region=form.cleaned_data.get("region"),
                    by=request.user,
                    data=form.content(),
                    uploads=form.cleaned_data["attachments"],
                    submit=action == "submit",
                )
            except ValidationError as error:
                if practice is not None:
                    practice.refresh_from_db()
                form.add_error(None, error)
            else:
                messages.success(request, _saved_message(saved, was_in_review=was_in_review))
                return redirect(saved)
    return render(
        request,
        "practices/form.html",
        {
            "form": form,
            "preview": preview,
            "preview_language": preview_language,
            "practice": practice,
        },
    )


def _saved_message(practice: Practice, *, was_in_review: bool) -> str:
    if practice.status == Practice.Status.SUBMITTED:
        return _("Saved and submitted: the secretariat will review it.")
    if was_in_review:
        return _(
            "Your changes are saved and the practice is back to draft, out of the review "
            "queue. Submit it again when it is ready."
        )
    if practice.has_public_version:
        return _(
            "Your changes are saved. The published version stays online until you submit "
            "them and the secretariat publishes them."
        )
    return _("Saved as a draft. Submit it when it is ready for review.")


def attachment_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Files only through here: who may see them is checked, and they always download.

    The stored content type is the one checked on upload, the name is the sanitised one,
    and `nosniff` plus `attachment` keep a browser from rendering anything inline.
    """
    attachment = get_object_or_404(
        Attachment.objects.select_related("practice"), pk=pk, practice__slug=slug
    )
    practice = attachment.practice
    public = practice.has_public_version and not attachment.pending
    if not public and not permissions.can_edit_practice(request.user, practice):
        return permissions.deny(request)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        # Kept, but asked for again each time (a 304 while it is unchanged): a deleted or
        # replaced file is gone at once, not an hour later.
        response["Cache-Control"] = "public, no-cache"
        response["ETag"] = f'"{attachment.pk}-{attachment.file.name.rsplit("/", 1)[-1]}"'
    else:
        response["Cache-Control"] = "private, no-store"
    return response
