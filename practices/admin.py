from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from asa_portal.admin_labels import RowsNamed
from practices import services
from practices.forms import ReturnForm
from practices.models import (
    CONTENT_FIELDS,
    THEMES,
    TRANSITIONS,
    Attachment,
    Practice,
    PracticeReview,
)
from practices.text import render_markdown


class AttachmentInline(RowsNamed, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "pending", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the site's checked form


def version_field(pk) -> str:
    """The name under which a page sends the version of practice `pk` it showed."""
    return f"version-{pk}"


@admin.action(description=gettext_lazy("Publish the selected practices"))
def publish(modeladmin, request, queryset):
    """Publishes each ticked practice in the version the page showed (its list row or its
    review page sent that version's token): one saved since is refused, not published
    unread. The review page's button says where to go back to (`next`)."""

    def publish_as_shown(*, practice, by):
        version = request.POST.get(version_field(practice.pk))
        if version is None:
            raise ValidationError(_("Open it and publish it from its review page."))
        services.practice_publish(practice=practice, by=by, version=version)

    # The review page sends its practice even when it has left the list meanwhile.
    ticked = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
    for practice in Practice.objects.filter(pk__in=ticked).exclude(pk__in=queryset.values("pk")):
        modeladmin.message_user(
            request,
            _("“%(practice)s”: The write-up changed since you opened it; read it again.")
            % {"practice": practice},
            messages.WARNING,
        )
    _apply(modeladmin, request, queryset, publish_as_shown, DONE["published"])
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return None


@admin.action(description=gettext_lazy("Submit the selected practices for review"))
def submit(modeladmin, request, queryset):
    """The secretariat's own edits go back to draft as anyone's do (see practice_update);
    this sends them to the review queue."""
    _apply(modeladmin, request, queryset, services.practice_submit, DONE["submitted"])


@admin.action(description=gettext_lazy("Archive the selected practices (outdated)"))
def archive(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, services.practice_archive, DONE["archived"])


@admin.action(description=gettext_lazy("Return the selected practices for changes…"))
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
            DONE["returned"],
        )
        return None
    return TemplateResponse(
        request,
        "admin/practices/return_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Return practices for changes"),
            "opts": modeladmin.model._meta,
            "practices": queryset,
            "form": form,
            "action": "return_for_changes",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


# What _apply says when it is done, counted in the reader's language.
DONE = {
    "published": lambda n: ngettext(
        "%(count)d practice published.", "%(count)d practices published.", n
    ),
    "submitted": lambda n: ngettext(
        "%(count)d practice submitted for review.",
        "%(count)d practices submitted for review.",
        n,
    ),
    "archived": lambda n: ngettext(
        "%(count)d practice archived.", "%(count)d practices archived.", n
    ),
    "returned": lambda n: ngettext(
        "%(count)d practice returned.", "%(count)d practices returned.", n
    ),
}


def _apply(modeladmin, request, queryset, service, done_message) -> None:
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
                request,
                _("“%(practice)s”: %(errors)s")
                % {"practice": practice, "errors": " ".join(error.messages)},
                messages.WARNING,
            )
    if done:
        modeladmin.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)


class PracticeAdminForm(forms.ModelForm):
    """Shows the version its editors work on: a published practice's pending edits, not
    its public version (which PracticeAdmin.save_model keeps, as the site does)."""

    # No Meta: the admin supplies the model and fields.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.pending is not None:
            for name, value in self.instance.working_copy().items():
                if name in self.fields:
                    self.initial[name] = value


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    form = PracticeAdminForm
    list_display = ["title", "region", "language", "status", "has_pending_edits", "saved"]
    list_filter = ["status", "language", "region"]
    search_fields = ["title", "summary", "body", "region__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    actions = [publish, return_for_changes, archive, submit]
    # The workflow fields change only through the actions above (and their services).
    review_fields = ["status", "review_comment", "published_at", "pending_version", "write_up"]
    readonly_fields = [*review_fields, "created_by"]
    inlines = [AttachmentInline]
    content_fields = [
        "title",
        "slug",
        "region",
        "language",
        "summary",
        "summary_language",
        "body",
        ("theme_skills", "theme_education", "theme_employment"),
        ("transition_green", "transition_digital"),
        "results",
        "contact",
        "created_by",  # who wrote it: set when it is created
    ]
    fieldsets = [
        (None, {"fields": content_fields}),
        (gettext_lazy("Review"), {"fields": review_fields}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Practice.Status.ARCHIVED:
            # An archived practice cannot be edited (practice_update refuses it).
            return [*self.readonly_fields, *CONTENT_FIELDS]
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.status == Practice.Status.ARCHIVED:
            return {}  # the title it would come from is read only
        return self.prepopulated_fields

    def save_model(self, request, obj: Practice, form, change: bool) -> None:
        """Through the services, as on the site: pending edits for a published practice,
        a submitted one back to draft, the body rendered."""
        data = {
            name: form.cleaned_data[name] for name in CONTENT_FIELDS if name in form.cleaned_data
        }
        if change:
            stored = Practice.objects.get(pk=obj.pk)
            was = stored.status
            practice = services.practice_change(
                practice=stored, by=request.user, data=data, region=obj.region, slug=obj.slug
            )
            if was == Practice.Status.SUBMITTED and practice.status != was:
                self.message_user(
                    request,
                    _(
                        "“%(practice)s” is back to draft, out of the review queue: your edit "
                        "is a new version. Tick it in the list and choose “%(action)s” to "
                        "send it to the queue."
                    )
                    % {"practice": practice, "action": submit.short_description},
                    messages.WARNING,
                )
        else:
            practice = services.practice_create(
                region=obj.region, by=request.user, data=data, slug=obj.slug
            )
        # The admin goes on with the form's object (inlines, history, redirect).
        obj.pk = practice.pk
        obj._state.adding = False
        obj.refresh_from_db()

    @admin.display(description=gettext_lazy("last saved"), ordering="updated_at")
    def saved(self, obj: Practice) -> str:
        """When it was last saved; the hidden field tells the publish action which
        version this list showed."""
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">',
            timezone.localtime(obj.updated_at).strftime("%Y-%m-%d %H:%M"),
            version_field(obj.pk),
            services.practice_version(obj),
        )

    @admin.display(description=gettext_lazy("as the site will show it"))
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
                "language_name": dict(settings.LANGUAGES).get(version.get("language")),
                "body_html": render_markdown(version.get("body") or ""),
            },
        )

    @admin.display(boolean=True, description=gettext_lazy("pending edits"))
    def has_pending_edits(self, obj: Practice) -> bool:
        return obj.pending is not None

    @admin.display(description=gettext_lazy("edits waiting for review"))
    def pending_version(self, obj: Practice):
        """What the secretariat reviews: the pending fields that differ from the public ones."""
        changed = {k: v for k, v in (obj.pending or {}).items() if getattr(obj, k) != v}
        if not changed:
            return "–"
        rows = format_html_join(
            "",
            "<dt>{}</dt><dd>{}</dd>",
            (
                (Practice._meta.get_field(name).verbose_name, _pending_value(name, value))
                for name, value in changed.items()
            ),
        )
        return format_html("<dl>{}</dl>", rows)


def _pending_value(name: str, value):
    """A pending field as the secretariat reads it: the body rendered, a language named."""
    if name == "body":
        return mark_safe(render_markdown(value))  # noqa: S308 (sanitised by nh3)
    choices = dict(Practice._meta.get_field(name).choices or ())
    return choices.get(value, value)


@admin.register(PracticeReview)
class ReviewQueueAdmin(PracticeAdmin):
    list_display = ["title", "region", "has_pending_edits", "saved"]
    list_filter = ["region"]
    actions = [publish, return_for_changes]
    change_form_template = "admin/practices/practicereview/change_form.html"

    def changelist_view(self, request, extra_context=None):
        # Django's "Select practice to review to change" says nothing of the work.
        title = _("Review queue: open a practice to read it, then publish or return it")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    # What the secretariat reads first is the write-up as it will appear; the Markdown
    # source stays editable below, folded.
    fieldsets = [
        (
            gettext_lazy("The write-up as the site will show it"),
            {"fields": ["write_up", "pending_version"]},
        ),
        (gettext_lazy("Review"), {"fields": ["status", "review_comment", "published_at"]}),
        (
            gettext_lazy("Source (Markdown)"),
            {"classes": ["collapse"], "fields": PracticeAdmin.content_fields},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_review()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The version of the write-up this page shows, for its Publish button.
            context["version"] = services.practice_version(obj)
            context["version_field"] = version_field(obj.pk)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._left_the_queue(request, obj) or super().response_add(request, obj)

    def response_change(self, request, obj):
        return self._left_the_queue(request, obj) or super().response_change(request, obj)

    def _left_the_queue(self, request, obj: Practice):
        """A practice no longer submitted (a new one, or one the edit took back to draft)
        has no page in the queue, where "Save and continue editing" would land on "doesn't
        exist": the secretariat goes on editing it among all practices."""
        if obj.status == Practice.Status.SUBMITTED or "_continue" not in request.POST:
            return None
        self.message_user(
            request,
            _(
                "“%(practice)s” was saved. It is not in the review queue, so you go on "
                "editing it among all practices."
            )
            % {"practice": obj},
            messages.INFO,
        )
        return redirect("admin:practices_practice_change", obj.pk)

    # A practice under review has one history: the practice's (simple_history keeps none
    # for the proxy, and its views fail on it).
    def history_view(self, request, object_id, extra_context=None):
        return redirect("admin:practices_practice_history", object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return redirect("admin:practices_practice_simple_history", object_id, version_id)
