"""Instruments drawn as respondents see them: whole pages for the phone-width preview, and
one question with wording not saved yet for the question form's live preview."""

from collections.abc import Mapping
from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.safestring import SafeString

from assessment.forms.answering import (
    MAX_TEXT_LENGTH,
    SectionForm,
    comment_field_name,
    question_field,
    question_layout,
)
from assessment.models import Instrument, Question, Section
from assessment.selectors.instruments import instrument_with_questions

WORDING_FIELDS = ("text", "help_text", "low_label", "high_label", "comment_prompt")


@dataclass(frozen=True)
class PreviewPage:
    section: Section
    form_html: SafeString


def preview_pages(instrument: Instrument) -> list[PreviewPage]:
    """Every page of the instrument with its empty form, drawn by the respondents' form."""
    return [
        PreviewPage(section=section, form_html=render_crispy_form(SectionForm(section=section)))
        for section in instrument_with_questions(instrument)
    ]


def question_preview(question: Question, posted: Mapping[str, str]) -> SafeString:
    """One question drawn with the wording in `posted` (the question form's fields), which
    is not saved: only the copy in memory changes."""
    for name in WORDING_FIELDS:
        if name in posted:
            setattr(question, name, posted[name])
    choices = list(question.choices.all())
    field = question_field(question)
    if question.has_choices:
        field.choices = [  # type: ignore[attr-defined]
            (str(choice.value), posted.get(f"label-{number}", choice.label))
            for number, choice in enumerate(choices, start=1)
        ]
    form = forms.Form(auto_id="preview_%s")
    form.fields[question.code] = field
    layout = [question_layout(question)]
    if question.allows_comment:
        name = comment_field_name(question)
        form.fields[name] = forms.CharField(
            label=question.comment_prompt,
            required=False,
            max_length=MAX_TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        layout.append(Field(name, wrapper_class="comment-field"))
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    html: SafeString = render_crispy_form(form, helper)
    return html
