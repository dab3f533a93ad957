from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from practices import services
from practices.forms import ReturnForm
from practices.models import THEMES, TRANSITIONS, Attachment, Practice, PracticeReview
from practices.text import render_markdown


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "pending", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the site's checked form


@admin.action(description="Publish the selected practices")
def publish(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, services.practice_publish, "published")


@admin.action(description="Archive the selected practices (outdated)")
def archive(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, services.practice_archive, "archived")


@admin.action(description="Return the selected practices for changes…")
def return_for_changes(modeladmin, request, queryset):
    """Asks for the comment on an intermediate page, then returns each practice."""
    form = ReturnForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        _apply(
            modeladmin,
            request,
            queryset,
            partial(services.practice_return, comment=comment),
            "returned",
        )
        return None
    return TemplateResponse(
        request,
        "admin/practices/return_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Return practices for changes",
            "opts": modeladmin.model._meta,
            "practices": queryset,
            "form": form,
            "action": "return_for_changes",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _apply(modeladmin, request, queryset, service, verb: str) -> None:
    """Runs `service` on each ticked practice in a transaction of its own, on the row as it
    is once locked: one refusal leaves the others done, and two secretaries acting on the
    same practice at once act one after the other."""
    done = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                practice = Practice.objects.select_for_update().get(pk=pk)
                service(practice=practice, by=request.user)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(
                request, f"“{practice}”: {' '.join(error.messages)}", messages.WARNING
            )
    if done:
        modeladmin.message_user(request, f"{done} practice(s) {verb}.", messages.SUCCESS)


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "status", "has_pending_edits", "published_at"]
    list_filter = ["status", "region"]
    search_fields = ["title", "summary", "body", "region__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    actions = [publish, return_for_changes, archive]
    # The workflow fields change only through the actions above (and their services).
    review_fields = ["status", "review_comment", "published_at", "pending_version", "write_up"]
    readonly_fields = review_fields
    inlines = [AttachmentInline]
    content_fields = [
        "title",
        "slug",
        "region",
        "summary",
        "body",
        ("theme_skills", "theme_education", "theme_employment"),
        ("transition_green", "transition_digital"),
        "results",
        "contact",
        "created_by",
    ]
    fieldsets = [
        (None, {"fields": content_fields}),
        ("Review", {"fields": review_fields}),
    ]

    @admin.display(description="as the site will show it")
    def write_up(self, obj: Practice) -> str:
        """The version under review (pending edits applied), rendered as the practice page
        renders it: Markdown through practices.text.render_markdown, sanitised by nh3."""
        if obj.pk is None:
            return "–"
        version = {**obj.content(), **(obj.pending or {})}
        themes = [label for key, label in THEMES.items() if version.get(f"theme_{key}")]
        themes += [label for key, label in TRANSITIONS.items() if version.get(f"transition_{key}")]
        return render_to_string(
            "admin/practices/write_up.html",
            {
                "version": version,
                "themes": themes,
                "body_html": render_markdown(version.get("body") or ""),
            },
        )

    @admin.display(boolean=True, description="pending edits")
    def has_pending_edits(self, obj: Practice) -> bool:
        return obj.pending is not None

    @admin.display(description="edits waiting for review")
    def pending_version(self, obj: Practice):
        """What the secretariat reviews: the pending fields that differ from the public ones."""
        changed = {k: v for k, v in (obj.pending or {}).items() if getattr(obj, k) != v}
        if not changed:
            return "–"
        rows = format_html_join(
            "",
            "<dt>{}</dt><dd>{}</dd>",
            (
                (
                    Practice._meta.get_field(name).verbose_name,
                    # render_markdown's output is sanitised by nh3.
                    mark_safe(render_markdown(value)) if name == "body" else value,  # noqa: S308
                )
                for name, value in changed.items()
            ),
        )
        return format_html("<dl>{}</dl>", rows)


@admin.register(PracticeReview)
class ReviewQueueAdmin(PracticeAdmin):
    list_display = ["title", "region", "has_pending_edits", "updated_at"]
    list_filter = ["region"]
    actions = [publish, return_for_changes]
    # What the secretariat reads first is the write-up as it will appear; the Markdown
    # source stays editable below, folded.
    fieldsets = [
        ("The write-up as the site will show it", {"fields": ["write_up", "pending_version"]}),
        ("Review", {"fields": ["status", "review_comment", "published_at"]}),
        ("Source (Markdown)", {"classes": ["collapse"], "fields": PracticeAdmin.content_fields}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_review()

    # A practice under review has one history: the practice's (simple_history keeps none
    # for the proxy, and its views fail on it).
    def history_view(self, request, object_id, extra_context=None):
        return redirect("admin:practices_practice_history", object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return redirect("admin:practices_practice_simple_history", object_id, version_id)
