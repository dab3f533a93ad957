"""An event's questions on its admin page: one compact row per question (text, kind,
options, required), sortable by dragging like the agenda.

The rows show only while the meeting is open to the public (or a row has an error): a
meeting that is not takes no more room than before. static/meetings/questions_inline.js
shows them as soon as "open to the public" is ticked; without it they show after saving.
"""

from __future__ import annotations

from adminsortable2.admin import CustomInlineFormSet, SortableTabularInline
from django import forms
from django.utils.translation import gettext

from asa_portal.admin_labels import RowsNamed
from meetings.models import Question

# No event asks more (a crafted form could send any number of rows).
MAX_QUESTIONS = 20


class QuestionInlineFormSet(CustomInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if len(kept) > MAX_QUESTIONS:
            raise forms.ValidationError(
                gettext("An event asks at most %(count)d questions.") % {"count": MAX_QUESTIONS}
            )


class QuestionInline(RowsNamed, SortableTabularInline):
    model = Question
    formset = QuestionInlineFormSet
    template = "admin/meetings/meeting/questions_inline.html"
    # The inline's own table, inside a wrapper that hides it (see the module's docstring).
    table_template = SortableTabularInline.template
    fields = ["position", "text", "kind", "options", "required"]
    extra = 0
    max_num = MAX_QUESTIONS

    class Media:
        js = ["meetings/questions_inline.js"]
        css = {"all": ["meetings/questions_inline.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "options":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 28})
        elif db_field.name == "text":
            kwargs["widget"] = forms.TextInput(attrs={"size": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
