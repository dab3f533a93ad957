from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from asa_portal.validators import validate_single_line


class RegionQuerySet(models.QuerySet):
    def by_country(self):
        return self.order_by("country", "name")


class Region(models.Model):
    """A member region, city or project of the ASA (Göteborg, Košice, EDUCAM ...)."""

    class Kind(models.TextChoices):
        REGION = "region", pgettext_lazy("kind of member", "Region")
        CITY = "city", _("City")
        PROJECT = "project", _("Project")

    name = models.CharField(
        _("name"),
        max_length=120,
        unique=True,
        validators=[validate_single_line],
        help_text=_("With its proper spelling."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = CountryField(_("country"), help_text=_("ISO 3166 country."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGION)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="RegionMembership",
        related_name="regions",
        blank=True,
        verbose_name=_("members"),
    )

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["region", "city", "project"]),
                name="region_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", args=[self.slug])


class RegionMembership(models.Model):
    """A person's place in a region: its representative(s) or a member."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        MEMBER = "member", _("Member")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("region")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="region_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "role"]
        verbose_name = _("region membership")
        verbose_name_plural = _("region memberships")
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="region_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["representative", "member"]),
                name="region_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.region})"


class Partner(models.Model):
    """An alliance or body that co-organises events: ASA, ARA, CORAI."""

    acronym = models.CharField(
        _("acronym"), max_length=20, unique=True, validators=[validate_single_line]
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return f"{self.acronym} ({self.name})"


class Indicator(models.Model):
    """One figure of a region for one year, for benchmarking (e.g. people reskilled)."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Automotive employment")
        UPSKILLED = "upskilled", _("People up- or reskilled")
        PROGRAMMES = "programmes", _("Training programmes")
        GRADUATES = "graduates", _("Automotive VET graduates")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(
        _("unit"),
        max_length=40,
        blank=True,
        validators=[validate_single_line],
        help_text=_("For example: people."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        validators=[validate_single_line],
        help_text=_("Where the figure comes from."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "kind", "year"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year"], name="indicator_unique_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["employment", "upskilled", "programmes", "graduates"]
                ),
                name="indicator_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.get_kind_display()} {self.year}"
