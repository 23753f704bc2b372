"""Editing an organisation's own instrument: wording, order, removing and adding questions.

Every edit goes through `instrument_editable`, so a version people may have answered is
never touched: the edit lands on the next version. Questions are named by their code and
pages by their position, which stay the same from one version to the next."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from assessment.builtin_instruments import COMMENT, YES_PARTLY_NO, choices_of, scale
from assessment.models import Choice, Instrument, Question, QuestionKind, Section
from assessment.selectors.instruments import family_codes
from assessment.services.instruments import instrument_editable

LAST_QUESTION = "A questionnaire needs at least one question: add another before removing this one."
NO_SUCH_QUESTION = "There is no question {code} in this questionnaire."
NO_SUCH_PAGE = "There is no page {position} in this questionnaire."
LABELS_COUNT = "Give one label for each answer ({count})."
TOO_FEW_OPTIONS = "Give at least two options, one a line."
SCALE_ENDS = "Say what both ends of the scale mean."

# The kinds a facilitator may add: the ones the built-in instruments ask, nothing that
# could ask for a name, an e-mail or a date (every answer is a choice or a comment, and a
# comment goes through the comment threshold like the built-in ones).
NEW_KINDS = {
    "yes_partly_no": "Yes / Partly / No / Don't know",
    QuestionKind.RATING_5: "Rating from 1 to 5",
    QuestionKind.BIPOLAR_7: "Scale from 1 to 7 between two statements",
    QuestionKind.MULTI_CHOICE: "Several choices",
    QuestionKind.TEXT: "A comment (free text, optional)",
}


def _question(version: Instrument, code: str) -> Question:
    question = Question.objects.filter(instrument=version, code=code).first()
    if question is None:
        raise ValidationError(NO_SUCH_QUESTION.format(code=code))
    return question


def _section(version: Instrument, position: int) -> Section:
    section = Section.objects.filter(instrument=version, position=position).first()
    if section is None:
        raise ValidationError(NO_SUCH_PAGE.format(position=position))
    return section


@transaction.atomic
def instrument_details_edit(*, instrument: Instrument, name: str, description: str) -> Instrument:
    version = instrument_editable(instrument=instrument)
    version.name = name
    version.description = description
    version.save(update_fields=["name", "description"])
    return version


@transaction.atomic
def section_edit(*, instrument: Instrument, position: int, title: str, intro: str) -> Instrument:
    version = instrument_editable(instrument=instrument)
    section = _section(version, position)
    section.title = title
    section.intro = intro
    section.save(update_fields=["title", "intro"])
    return version


@transaction.atomic
def question_edit(
    *, instrument: Instrument, code: str, labels: list[str], **wording: str
) -> Instrument:
    """New wording for one question (`wording`: text, help_text, low_label, high_label,
    comment_prompt) and its answers' labels, in order. Values and scores stay."""
    version = instrument_editable(instrument=instrument)
    question = _question(version, code)
    choices = list(question.choices.order_by("position"))
    if question.kind == QuestionKind.TEXT:
        labels = []
    if len(labels) != len(choices):
        raise ValidationError({"labels": LABELS_COUNT.format(count=len(choices))})
    for field, value in wording.items():
        setattr(question, field, value)
    question.save(update_fields=list(wording))
    for choice, label in zip(choices, labels, strict=True):
        if choice.label != label:
            choice.label = label
            choice.save(update_fields=["label"])
    return version


@transaction.atomic
def question_move(*, instrument: Instrument, code: str, step: int) -> Instrument:
    """One place up (−1) or down (+1) on its page; at either end nothing changes."""
    version = instrument_editable(instrument=instrument)
    question = _question(version, code)
    siblings = list(Question.objects.filter(section=question.section_id).order_by("position"))
    index = siblings.index(question)
    if not 0 <= index + step < len(siblings):
        return version
    other = siblings[index + step]
    mine, theirs = question.position, other.position
    # Through a free position: (section, position) is unique at every moment.
    question.position = 32000
    question.save(update_fields=["position"])
    other.position = mine
    other.save(update_fields=["position"])
    question.position = theirs
    question.save(update_fields=["position"])
    return version


@transaction.atomic
def question_remove(*, instrument: Instrument, code: str) -> Instrument:
    version = instrument_editable(instrument=instrument)
    question = _question(version, code)
    if Question.objects.filter(instrument=version).count() == 1:
        raise ValidationError(LAST_QUESTION)
    section = question.section
    question.delete()
    if not section.questions.exists():
        section.delete()  # an empty page would be a page with nothing to answer
    return version


def _new_choices(kind: str, low: str, high: str, options: list[str]) -> list[tuple[Any, ...]]:
    match kind:
        case "yes_partly_no":
            return YES_PARTLY_NO
        case QuestionKind.RATING_5 | QuestionKind.BIPOLAR_7:
            if not (low and high):
                raise ValidationError({"low_label": SCALE_ENDS})
            return scale(5 if kind == QuestionKind.RATING_5 else 7, low, high)
        case QuestionKind.MULTI_CHOICE:
            if len(options) < 2:
                raise ValidationError({"options": TOO_FEW_OPTIONS})
            return choices_of(options)
    return []


def next_code(instrument: Instrument) -> str:
    """A code no version of the family (nor the built-in one) has used: “checklist-own-01”."""
    used = family_codes(instrument.organisation, instrument.key)  # type: ignore[arg-type]
    number = 1
    while f"{instrument.key}-own-{number:02d}" in used:
        number += 1
    return f"{instrument.key}-own-{number:02d}"


@transaction.atomic
def question_add(
    *,
    instrument: Instrument,
    page: int,
    kind: str,
    text: str,
    low_label: str = "",
    high_label: str = "",
    options: list[str] | None = None,
    comment: bool = False,
) -> Question:
    """A new question at the end of a page, with a code of its own."""
    if kind not in NEW_KINDS:
        raise ValidationError({"kind": "Choose one of the kinds listed."})
    choices = _new_choices(kind, low_label, high_label, options or [])
    version = instrument_editable(instrument=instrument)
    section = _section(version, page)
    last = section.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question.objects.create(
        section=section,
        instrument=version,
        position=last + 1,
        code=next_code(version),
        kind=QuestionKind.CHOICE if kind == "yes_partly_no" else kind,
        text=text,
        required=kind != QuestionKind.TEXT,
        low_label=low_label if kind in (QuestionKind.RATING_5, QuestionKind.BIPOLAR_7) else "",
        high_label=high_label if kind in (QuestionKind.RATING_5, QuestionKind.BIPOLAR_7) else "",
        comment_prompt=COMMENT if comment and kind != QuestionKind.TEXT else "",
    )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=position,
            value=value,
            label=label,
            score=score,
            unfavourable=unfavourable,
        )
        for position, (value, label, score, unfavourable) in enumerate(choices, start=1)
    )
    return question
