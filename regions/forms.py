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


IndicatorFormSet = forms.inlineformset_factory(
    Region, Indicator, form=IndicatorForm, extra=2, can_delete=True, max_num=200
)
