from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from practices.models import CONTENT_FIELDS, MAX_BODY_LENGTH, Practice
from practices.uploads import ACCEPT, ALLOWED_TEXT, inspect_upload

MAX_FILES = 10


class LanguageSelect(forms.Select):
    """Languages named in themselves, each option marked with its language, so that a
    screen reader says "Slovenčina" as Slovak, whatever the page's language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); each one checked later."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        # Empty files reach inspect_upload, which names them in its message.
        super().__init__(*args, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PracticeForm(forms.Form):
    """The write-up as its region edits it. It never saves: the view hands cleaned_data
    to practices.services, which decides where an edit goes (see Practice)."""

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"] = forms.ModelChoiceField(
                queryset=regions,
                empty_label=None,
                label=_("Region"),
                help_text=_("The region it comes from."),
            )
        self.fields.update(fields_for_model(Practice, fields=CONTENT_FIELDS))
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 3, "maxlength": 1000})
        self.fields["summary"].help_text = _("Two or three sentences shown in lists.")
        self.fields["language"].widget = LanguageSelect(choices=settings.LANGUAGES)
        self.fields["summary_language"].widget = LanguageSelect()
        self.fields["summary_language"].choices = [
            ("", _("Same as the write-up")),
            *settings.LANGUAGES,
        ]
        self.fields["summary_language"].help_text = _(
            "Only if the summary is in another language than the write-up (e.g. an "
            "English summary of a Slovak write-up)."
        )
        self.fields["body"].widget = forms.Textarea(
            attrs={"rows": 14, "maxlength": MAX_BODY_LENGTH}
        )
        # Built when the form is (in the reader's language): the limit in their digits.
        limit = number_format(MAX_BODY_LENGTH, force_grouping=True)
        self.fields["body"].help_text = _(
            "Markdown: ## for a heading, **bold**, *italic*, - for a list, "
            "[text](https://…) for a link. Use Preview to check it. "
            "At most %(limit)s characters."
        ) % {"limit": limit}
        # %(show_value)s stays for the field to fill in.
        self.fields["body"].error_messages["max_length"] = _(
            "The description may be at most %(limit)s characters long "
            "(it has %(show_value)s characters). Shorten it, or attach the full text "
            "as a document."
        ) % {"limit": limit, "show_value": "%(show_value)s"}
        self.fields["results"].widget = forms.Textarea(attrs={"rows": 4})
        self.fields["results"].help_text = _("What it achieved, with figures where you have them.")
        self.fields["contact"].help_text = _("Who to ask: name, organisation, email address.")
        self.fields["attachments"] = MultipleFileField(
            required=False,
            label=_("Attachments"),
            help_text=_(
                "%(allowed)s each. Choose them when you save: a preview does not keep them."
            )
            % {"allowed": ALLOWED_TEXT},
        )
        self.checked_uploads: list = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(["region"] if regions is not None else []),
            "title",
            "language",
            "summary",
            "summary_language",
            "body",
            Fieldset(_("Themes"), "theme_skills", "theme_education", "theme_employment"),
            Fieldset(_("Transition"), "transition_green", "transition_digital"),
            "results",
            "contact",
            "attachments",
        )

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_FILES:
            raise ValidationError(
                ngettext(
                    "Attach at most %(count)d file at a time.",
                    "Attach at most %(count)d files at a time.",
                    MAX_FILES,
                )
                % {"count": MAX_FILES}
            )
        errors = []
        for upload in uploads:
            try:
                inspect_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the region should change. It is sent to its representatives."),
    )
