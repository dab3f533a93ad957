import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import connections, models
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from asa_portal.validators import validate_single_line
from practices.text import normalise, render_markdown
from regions.models import Region

# What a representative writes; the rest (region, slug, status ...) the workflow manages.
CONTENT_FIELDS = [
    "title",
    "language",
    "summary",
    "summary_language",
    "body",
    "theme_skills",
    "theme_education",
    "theme_employment",
    "transition_green",
    "transition_digital",
    "results",
    "contact",
]
# About 3,000 words: longer than any write-up, short enough to render in well under a
# second however it is written.
MAX_BODY_LENGTH = 20_000
# What save() derives from the other fields, and so always writes.
DERIVED_FIELDS = {"search_text", "body_html", "pending_body_html"}
LANGUAGE_CODES = [code for code, name in settings.LANGUAGES]
# The PostgreSQL text search configuration of each language a practice may be written
# in. Slovak has none in PostgreSQL: 'simple' (no stemming) rather than English rules.
SEARCH_CONFIGS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "nl": "dutch",
    "sv": "swedish",
    "sk": "simple",
}
# A practice's text indexed twice: stemmed by its language's rules ("Ausbildungen" and
# "Ausbildung" meet), and word for word ('simple'), so that a word typed as written (an
# English summary of a Slovak write-up, a name) is found whatever the language.
SEARCH_VECTOR = SearchVector(
    "search_text",
    config=Case(
        *(When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()),
        default=Value("simple"),
    ),
) + SearchVector("search_text", config="simple")
THEMES = {
    "skills": pgettext_lazy("practice theme", "Skills"),
    "education": pgettext_lazy("practice theme", "Education"),
    "employment": pgettext_lazy("practice theme", "Employment"),
}
TRANSITIONS = {"green": _("Green transition"), "digital": _("Digital transition")}
# The status of a published practice's next version, as its editors see it.
PUBLISHED_WITH_CHANGES = {
    "draft": _("Published, with changes not yet submitted"),
    "submitted": _("Published, with changes in review"),
    "returned": _("Published, with changes returned for rework"),
}


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """Listed, searched and counted: has a published version and is not archived."""
        return self.filter(published_at__isnull=False).exclude(status=Practice.Status.ARCHIVED)

    def publicly_readable(self):
        """Readable by anyone at its address: archived ones too, so old links keep working."""
        return self.filter(published_at__isnull=False)

    def awaiting_review(self):
        return self.filter(status=Practice.Status.SUBMITTED)

    def reindex(self) -> None:
        """Rebuilds the stored search text, e.g. after their region was renamed."""
        practices = list(self.select_related("region"))
        for practice in practices:
            practice.search_text = practice.build_search_text(practice.region.name)
        self.model.objects.bulk_update(practices, ["search_text"])
        if connections[self.db].vendor == "postgresql":
            self.model.objects.filter(pk__in=[p.pk for p in practices]).update(
                search_vector=SEARCH_VECTOR
            )


class Practice(models.Model):
    """A region's best-practice write-up for the automotive transition.

    Two things describe where a practice stands:

    - `status` is where its latest version is in the workflow: draft → submitted →
      published, or returned (with `review_comment`) → edited → submitted again;
      archived when outdated.
    - `published_at` is set at the first publication. From then on the content columns
      hold the published version, which everyone keeps seeing (and finding) while the
      region edits: those edits wait in `pending` (a dict of CONTENT_FIELDS) and go
      through review; `practice_publish` copies them into the columns. Before the first
      publication there is nothing to protect, so edits go straight into the columns.

    One JSON field rather than a second table or a `pending_*` twin of every field:
    the pending version is never searched or listed, only shown to its editors and the
    secretariat, and it is tracked by simple_history like every other field.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("practice status", "Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", pgettext_lazy("practice status", "Published")
        RETURNED = "returned", _("Returned for changes")
        ARCHIVED = "archived", pgettext_lazy("practice status", "Archived")

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="practices", verbose_name=_("region")
    )
    # The language the write-up is written in (content is never translated): the page
    # marks it with lang="..." for screen readers, the list filters by it, and search
    # stems it by that language's rules. The choices are the portal's languages, each
    # named in itself.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the write-up is written in."),
    )
    summary = models.TextField(_("summary"), max_length=1000)
    # A region may write in Slovak with an English summary: one small field rather than a
    # language per field; empty means the summary is in the write-up's language.
    summary_language = models.CharField(
        _("language of the summary"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Only if the summary is in another language than the write-up."),
    )
    body = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown."),
        max_length=MAX_BODY_LENGTH,
        # A TextField's max_length only reaches forms: the model checks it too.
        validators=[MaxLengthValidator(MAX_BODY_LENGTH)],
    )
    # The body and the pending body rendered and sanitised at each save, so that pages
    # show stored HTML and never run the Markdown parser.
    body_html = models.TextField(blank=True, editable=False)
    pending_body_html = models.TextField(blank=True, editable=False)
    theme_skills = models.BooleanField(pgettext_lazy("practice theme", "skills"), default=False)
    theme_education = models.BooleanField(
        pgettext_lazy("practice theme", "education"), default=False
    )
    theme_employment = models.BooleanField(
        pgettext_lazy("practice theme", "employment"), default=False
    )
    transition_green = models.BooleanField(_("green transition"), default=False)
    transition_digital = models.BooleanField(_("digital transition"), default=False)
    results = models.TextField(_("results"), blank=True)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, validators=[validate_single_line]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    pending = models.JSONField(
        _("pending edits"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Edits of a published practice that wait for review."),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        editable=False,
        help_text=_("Title, summary, body and region, normalised."),
    )
    # PostgreSQL only: search_text as a tsvector, kept by save(), GIN-indexed (migration
    # 0005), so that matching and ranking never re-parse the texts. Stays empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["search_text", "search_vector", "body_html", "pending_body_html"]
    )
    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "submitted", "published", "returned", "archived"]
                ),
                name="practice_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=LANGUAGE_CODES)
                & models.Q(summary_language__in=["", *LANGUAGE_CODES]),
                name="practice_language_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="practice_status_pub")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text(self.region.name if self.region_id else "")
        self.render()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *DERIVED_FIELDS}
        super().save(*args, **kwargs)
        if connections[self._state.db].vendor == "postgresql":
            Practice.objects.using(self._state.db).filter(pk=self.pk).update(
                search_vector=SEARCH_VECTOR
            )

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])

    def render(self) -> None:
        """Stores the body and the pending body as sanitised HTML (see render_markdown)."""
        self.body_html = render_markdown(self.body)
        pending_body = (self.pending or {}).get("body")
        self.pending_body_html = render_markdown(pending_body) if pending_body else ""

    def build_search_text(self, region_name: str) -> str:
        return normalise(" ".join([self.title, region_name, self.summary, self.body]))

    @property
    def summary_lang(self) -> str:
        """The language the summary is written in (for its lang attribute)."""
        return self.summary_language or self.language

    @property
    def has_public_version(self) -> bool:
        return self.published_at is not None

    @property
    def status_label(self) -> str:
        """Where it stands, as its editors read it: once published, the status is that of
        the next version, and the published one is still online."""
        if self.has_public_version and self.status in PUBLISHED_WITH_CHANGES:
            return PUBLISHED_WITH_CHANGES[self.status]
        return self.get_status_display()

    @property
    def is_listed(self) -> bool:
        return self.has_public_version and self.status != self.Status.ARCHIVED

    def working_copy(self) -> dict:
        """The version its editors work on: the pending edits, else the columns."""
        if self.pending is not None:
            return {**self.content(), **self.pending}
        return self.content()

    def content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    @property
    def themes(self) -> list[str]:
        return [label for key, label in THEMES.items() if getattr(self, f"theme_{key}")]

    @property
    def transitions(self) -> list[str]:
        return [label for key, label in TRANSITIONS.items() if getattr(self, f"transition_{key}")]


class PracticeReview(Practice):
    """The secretariat's review queue in the admin: submitted practices (a proxy)."""

    class Meta:
        proxy = True
        verbose_name = _("practice to review")
        verbose_name_plural = _("practices to review")


def attachment_file_name(instance: "Attachment", filename: str) -> str:
    # Never the uploaded name: a generated one, with the extension of the checked type.
    return f"attachments/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """A document or image attached to a practice, checked by its content on the way in.

    Files added while a published practice has pending edits stay `pending` (shown to
    editors only) until those edits are published.
    """

    practice = models.ForeignKey(
        Practice,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("practice"),
    )
    file = models.FileField(_("file"), upload_to=attachment_file_name, max_length=200)
    original_name = models.CharField(
        _("file name"),
        max_length=200,
        help_text=_("Sanitised uploaded name."),
        validators=[validate_single_line],
    )
    content_type = models.CharField(_("content type"), max_length=120)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    pending = models.BooleanField(pgettext_lazy("attachment", "pending"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("practices:attachment", args=[self.practice.slug, self.pk])
