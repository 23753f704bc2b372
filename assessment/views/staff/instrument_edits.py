"""Editing the organisation's own instrument: its page, the wording of its details, pages
and questions (with a live preview), order, removing and adding questions. Each view
hands its form to one service of assessment/services/instrument_edits.py."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessment.access import RUNS_ROUNDS, MemberRequest, staff_view
from assessment.forms.instruments import DetailsForm, NewQuestionForm, PageForm, QuestionForm
from assessment.models import Instrument, Question, Section
from assessment.selectors.instruments import instrument_is_frozen, instrument_with_questions
from assessment.services.instrument_edits import (
    instrument_details_edit,
    question_add,
    question_edit,
    question_move,
    question_remove,
    section_edit,
)
from assessment.views.staff.instrument_preview import preview_pages, question_preview
from assessment.views.staff.instruments import own_or_404
from assessment.views.staff.shared import errors_shown

SAVED = "Saved."
SAVED_AS_VERSION = (
    "Saved as version {version}: the rounds launched with version {previous} keep the "
    "wording they asked."
)
REMOVED = "Question {code} is removed."
ADDED = "Question {code} is added at the end of its page."


def _saved(request: MemberRequest, before: Instrument, after: Instrument) -> None:
    if after.version != before.version:
        messages.success(
            request, SAVED_AS_VERSION.format(version=after.version, previous=before.version)
        )
    else:
        messages.success(request, SAVED)


def _question_or_404(instrument: Instrument, code: str) -> Question:
    question = (
        Question.objects.filter(instrument=instrument, code=code)
        .prefetch_related("choices")
        .first()
    )
    if question is None:
        raise Http404
    return question


@staff_view(*RUNS_ROUNDS)
def instrument_edit(request: MemberRequest, key: str) -> HttpResponse:
    instrument = own_or_404(request.organisation, key)
    return render(
        request,
        "assessment/instruments/edit.html",
        {
            "instrument": instrument,
            "sections": instrument_with_questions(instrument),
            "frozen": instrument_is_frozen(instrument),
            "add_form": NewQuestionForm(instrument=instrument),
            "pages": preview_pages(instrument),
        },
    )


def _form_page(
    request: MemberRequest,
    instrument: Instrument,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Instrument],
    title: str,
) -> HttpResponse:
    """A wording form: saved by `save` (a service), then back to the instrument's page."""
    if request.method == "POST" and form.is_valid():
        try:
            version = save(form.cleaned_data)
        except ValidationError as error:
            errors_shown(request, error)
        else:
            _saved(request, instrument, version)
            return redirect("instruments:edit", key=instrument.key)
    return render(
        request,
        "assessment/instruments/form.html",
        {"instrument": instrument, "form": form, "title": title},
    )


@staff_view(*RUNS_ROUNDS)
def details_edit(request: MemberRequest, key: str) -> HttpResponse:
    instrument = own_or_404(request.organisation, key)
    initial = {"name": instrument.name, "description": instrument.description}
    return _form_page(
        request,
        instrument,
        DetailsForm(request.POST or None, initial=initial),
        lambda data: instrument_details_edit(instrument=instrument, **data),
        "Name and introduction",
    )


@staff_view(*RUNS_ROUNDS)
def page_edit(request: MemberRequest, key: str, position: int) -> HttpResponse:
    instrument = own_or_404(request.organisation, key)
    section = Section.objects.filter(instrument=instrument, position=position).first()
    if section is None:
        raise Http404
    return _form_page(
        request,
        instrument,
        PageForm(request.POST or None, initial={"title": section.title, "intro": section.intro}),
        lambda data: section_edit(instrument=instrument, position=position, **data),
        f"Page {position}: “{section.title}”",
    )


@staff_view(*RUNS_ROUNDS)
def question_change(request: MemberRequest, key: str, code: str) -> HttpResponse:
    """The wording of one question, with a preview as respondents will see it: refreshed
    as one types (htmx), or by the Preview button without JavaScript. Nothing is saved
    until Save."""
    instrument = own_or_404(request.organisation, key)
    question = _question_or_404(instrument, code)
    initial = {name: getattr(question, name) for name in QuestionForm.base_fields}
    form = QuestionForm(request.POST or None, question=question, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "save" and form.is_valid():
        try:
            version = question_edit(
                instrument=instrument, code=code, labels=form.labels(), **form.wording()
            )
        except ValidationError as error:
            errors_shown(request, error)
        else:
            _saved(request, instrument, version)
            return redirect(reverse("instruments:edit", kwargs={"key": key}) + f"#{code}")
    posted = request.POST if request.method == "POST" else {}
    preview = question_preview(question, posted)
    if request.headers.get("HX-Request"):
        return render(request, "assessment/instruments/question_preview.html", {"preview": preview})
    return render(
        request,
        "assessment/instruments/question.html",
        {"instrument": instrument, "question": question, "form": form, "preview": preview},
    )


@require_POST
@staff_view(*RUNS_ROUNDS)
def question_reorder(request: MemberRequest, key: str, code: str) -> HttpResponse:
    instrument = own_or_404(request.organisation, key)
    _question_or_404(instrument, code)
    step = -1 if request.POST.get("step") == "up" else 1
    try:
        version = question_move(instrument=instrument, code=code, step=step)
    except ValidationError as error:
        errors_shown(request, error)
    else:
        _saved(request, instrument, version)
    return redirect(reverse("instruments:edit", kwargs={"key": key}) + f"#{code}")


@require_POST
@staff_view(*RUNS_ROUNDS)
def question_delete(request: MemberRequest, key: str, code: str) -> HttpResponse:
    instrument = own_or_404(request.organisation, key)
    _question_or_404(instrument, code)
    try:
        version = question_remove(instrument=instrument, code=code)
    except ValidationError as error:
        errors_shown(request, error)
    else:
        _saved(request, instrument, version)
        messages.success(request, REMOVED.format(code=code))
    return redirect("instruments:edit", key=key)


@staff_view(*RUNS_ROUNDS)
def question_new(request: MemberRequest, key: str) -> HttpResponse:
    instrument = own_or_404(request.organisation, key)
    form = NewQuestionForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = question_add(
                instrument=instrument,
                page=data["page"],
                kind=data["kind"],
                text=data["text"],
                low_label=data["low_label"],
                high_label=data["high_label"],
                options=form.option_lines(),
                comment=data["comment"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error)
        else:
            _saved(request, instrument, question.instrument)
            messages.success(request, ADDED.format(code=question.code))
            return redirect(reverse("instruments:edit", kwargs={"key": key}) + f"#{question.code}")
    return render(
        request,
        "assessment/instruments/form.html",
        {"instrument": instrument, "form": form, "title": "New question"},
    )
