from django import forms

from regions.models import Indicator, Region


class RegionProfileForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

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
                    "The region already has a figure for this kind and year; "
                    "change that one instead."
                )
        return data


IndicatorFormSet = forms.inlineformset_factory(
    Region, Indicator, form=IndicatorForm, extra=2, can_delete=True, max_num=200
)
