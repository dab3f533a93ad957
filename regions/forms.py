from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Indicator, Region


class RegionProfileForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Region
        fields = ["description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["kind", "year", "value", "unit", "source"]

    def clean(self):
        # The region is set by the formset, not a field, so check uniqueness here.
        data = super().clean()
        kind, year = data.get("kind"), data.get("year")
        if kind and year and not data.get("DELETE"):
            taken = Indicator.objects.filter(
                region_id=self.instance.region_id, kind=kind, year=year
            )
            if taken.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(
                    _(
                        "The region already has a figure for this kind and year; "
                        "change that one instead."
                    )
                )
        return data


# Four kinds over 25 years. Also the most subforms a request may make the server build:
# without absolute_max, Django builds max_num + 1,000 of them before it refuses.
MAX_FIGURES = 100


class BaseIndicatorFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        # Django fills in %(num)d (max_num, which is MAX_FIGURES) when it refuses.
        "too_many_forms": _("A region has at most %(num)d figures; send fewer rows."),
    }

    def total_form_count(self) -> int:
        """A bound formset that claims more rows than allowed builds only the region's
        existing ones (to show them again, with the error), never the claimed number."""
        count = super().total_form_count()
        if self.is_bound and self._claimed_rows() > self.absolute_max:
            return min(count, self.initial_form_count())
        return count

    def _claimed_rows(self) -> int:
        form = self.management_form
        return form.cleaned_data.get("TOTAL_FORMS", 0) if form.is_valid() else 0


IndicatorFormSet = forms.inlineformset_factory(
    Region,
    Indicator,
    form=IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_FIGURES,
    absolute_max=MAX_FIGURES,
    validate_max=True,
)
