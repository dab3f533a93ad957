from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from regions.models import Region


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Practice.Status.PUBLISHED)


class Practice(models.Model):
    """A region's best-practice write-up for the automotive transition."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        PUBLISHED = "published", "Published"
        RETURNED = "returned", "Returned for changes"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="practices")
    summary = models.TextField(max_length=1000)
    body = models.TextField("description", blank=True, help_text="Markdown.")
    theme_skills = models.BooleanField("skills", default=False)
    theme_education = models.BooleanField("education", default=False)
    theme_employment = models.BooleanField("employment", default=False)
    transition_green = models.BooleanField("green transition", default=False)
    transition_digital = models.BooleanField("digital transition", default=False)
    results = models.TextField(blank=True)
    contact = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "submitted", "published", "returned", "archived"]
                ),
                name="practice_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])
