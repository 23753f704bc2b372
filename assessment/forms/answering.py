"""The form for one page of a questionnaire, built from the instrument's data."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.html import escape

from assessment.models import Question, QuestionKind, Section

MAX_TEXT_LENGTH = 4000
REQUIRED_MESSAGE = "Please choose an answer (or “Don't know”) before moving on."
REQUIRED_SCALE_MESSAGE = "Please choose a point on the scale before moving on."
REQUIRED_MULTI_MESSAGE = "Please tick at least one box before moving on."


def comment_field_name(question: Question) -> str:
    return f"{question.code}-comment"


def question_field(question: Question) -> forms.Field:
    """The form field for one question; the caller names it."""
    # crispy marks help text safe; instrument text is editable by facilitators, so escape.
    common = {
        "label": question.text,
        "required": question.required,
        "help_text": escape(question.help_text),
    }
    choices = [(str(c.value), c.label) for c in question.choices.all()]
    match question.kind:
        case QuestionKind.MULTI_CHOICE:
            return forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": REQUIRED_MULTI_MESSAGE},
                **common,
            )
        case QuestionKind.TEXT:
            return forms.CharField(
                max_length=MAX_TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                **common,
            )
        case QuestionKind.RATING_5 | QuestionKind.BIPOLAR_7:
            field = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale-input"}),
                error_messages={"required": REQUIRED_SCALE_MESSAGE},
                **common,
            )
            # Read by the scale template to describe both ends.
            field.low_label = question.low_label
            field.high_label = question.high_label
            field.points = len(choices)
            return field
        case _:
            return forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": REQUIRED_MESSAGE},
                **common,
            )


def question_layout(question: Question, name: str | None = None) -> Any:
    """How the field is drawn: a scale as one row of large numbered choices."""
    name = name or question.code
    if question.is_scale:
        return Field(name, template="assessment/fields/scale.html")
    return Div(Field(name), css_class="question")


class SectionForm(forms.Form):
    """One field per question (named by its code) and one per optional comment."""

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        self.questions = list(section.questions.all())
        layout = []
        for question in self.questions:
            self.fields[question.code] = question_field(question)
            layout.append(question_layout(question))
            if question.allows_comment:
                name = comment_field_name(question)
                self.fields[name] = forms.CharField(
                    label=question.comment_prompt,
                    required=False,
                    max_length=MAX_TEXT_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                layout.append(Field(name, wrapper_class="comment-field"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    def merged_draft(self, previous: dict[str, Any]) -> dict[str, Any]:
        """The page's answers to keep: every field that validated replaces what was kept
        (an emptied field removes it); a field that did not validate keeps its old value,
        so a mistake never costs an answer given earlier."""
        data = dict(previous)
        for name in self.fields:
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if value in (None, "", []):
                data.pop(name, None)
            else:
                data[name] = value.strip() if isinstance(value, str) else value
        return data
