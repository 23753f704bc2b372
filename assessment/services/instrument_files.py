"""An instrument as a JSON file, so that organisations can share what they wrote
(docs/instruments.md has the format). Import checks the whole file first and names every
problem by where it is (the field, the page, the question's code); a file with any problem
changes nothing."""

import json
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from assessment.models import Choice, Instrument, Organisation, Question, QuestionKind, Section
from assessment.selectors.instruments import instrument_family, instrument_with_questions

FORMAT = "centricity-instrument"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_000_000

NOT_JSON = "The file is not JSON: {error}."
TOO_LARGE = "The file is larger than 1 MB; an instrument is far smaller."
KEY_TAKEN = (
    "Your organisation already has a questionnaire “{key}”. Rename the file's “key”, or "
    "edit the one you have."
)

SCALE_POINTS = {QuestionKind.RATING_5: 5, QuestionKind.BIPOLAR_7: 7}
_SLUG = re.compile(r"^[-a-z0-9_]+$")
QUESTION_TEXTS = {
    "help_text": 2000,
    "low_label": 500,
    "high_label": 500,
    "comment_prompt": 300,
}


def instrument_export(instrument: Instrument) -> dict[str, Any]:
    """The instrument as the file's JSON. The version number stays home: it counts the
    edits made in one organisation."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "key": instrument.key,
        "name": instrument.name,
        "description": instrument.description,
        "source": instrument.source,
        "minutes": instrument.minutes,
        "sections": [
            {
                "title": section.title,
                "intro": section.intro,
                "questions": [_question_json(q) for q in section.questions.all()],
            }
            for section in instrument_with_questions(instrument)
        ],
    }


def _question_json(question: Question) -> dict[str, Any]:
    return {
        "code": question.code,
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "reverse_scored": question.reverse_scored,
        **{field: getattr(question, field) for field in QUESTION_TEXTS},
        "choices": [
            {"value": c.value, "label": c.label, "score": c.score, "unfavourable": c.unfavourable}
            for c in question.choices.all()
        ],
    }


class _Checker:
    """Collects every problem of a file, each named by where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def text(
        self, data: Mapping[str, Any], field: str, where: str, *, limit: int, required: bool = False
    ) -> None:
        value = data.get(field, "")
        if not isinstance(value, str):
            self.problems.append(f"{where}: “{field}” must be text.")
        elif required and not value.strip():
            self.problems.append(f"{where}: “{field}” is missing or empty.")
        elif len(value) > limit:
            self.problems.append(f"{where}: “{field}” is longer than {limit} characters.")

    def flag(self, data: Mapping[str, Any], field: str, where: str) -> None:
        if not isinstance(data.get(field, False), bool):
            self.problems.append(f"{where}: “{field}” must be true or false.")

    def number(self, value: object, field: str, where: str, low: int, high: int) -> bool:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problems.append(f"{where}: “{field}” must be a whole number from {low} to {high}.")
            return False
        return True

    def items(self, data: Mapping[str, Any], field: str, where: str) -> list[Any]:
        value = data.get(field)
        if not isinstance(value, list) or not value:
            self.problems.append(f"{where}: “{field}” must be a non-empty list.")
            return []
        return value


def _check_top(checker: _Checker, data: Mapping[str, Any]) -> None:
    if data.get("format") != FORMAT:
        checker.problems.append(f"The file: “format” must be “{FORMAT}”.")
    if data.get("format_version") != FORMAT_VERSION:
        checker.problems.append(f"The file: “format_version” must be {FORMAT_VERSION}.")
    key = data.get("key")
    if not isinstance(key, str) or not _SLUG.match(key) or len(key) > 50:
        checker.problems.append(
            "The file: “key” must be a short name of lower-case letters, digits and hyphens."
        )
    checker.text(data, "name", "The file", limit=200, required=True)
    checker.text(data, "description", "The file", limit=2000)
    checker.text(data, "source", "The file", limit=2000)
    checker.number(data.get("minutes", 5), "minutes", "The file", 1, 240)


def _check_choices(checker: _Checker, question: Mapping[str, Any], kind: str, where: str) -> None:
    choices = question.get("choices", [])
    if kind == QuestionKind.TEXT:
        if choices:
            checker.problems.append(f"{where}: a free-text question has no “choices”.")
        if question.get("required", False) is not False:
            checker.problems.append(f"{where}: a free-text question is always optional.")
        return
    choices = checker.items(question, "choices", where)
    values = []
    for number, choice in enumerate(choices, start=1):
        at = f"{where}, answer {number}"
        if not isinstance(choice, dict):
            checker.problems.append(f"{at}: must be an object.")
            continue
        if checker.number(choice.get("value"), "value", at, -999, 999):
            values.append(choice["value"])
        checker.text(choice, "label", at, limit=300, required=True)
        score = choice.get("score")
        if score is not None:
            checker.number(score, "score", at, 0, 100)
        checker.flag(choice, "unfavourable", at)
    if len(set(values)) != len(values):
        checker.problems.append(f"{where}: two answers have the same “value”.")
    points = SCALE_POINTS.get(kind)  # type: ignore[call-overload]
    if points and sorted(values) != list(range(1, points + 1)):
        checker.problems.append(f"{where}: a {points}-point scale has the values 1 to {points}.")


def _check_question(checker: _Checker, question: object, where: str, codes: set[str]) -> None:
    if not isinstance(question, dict):
        checker.problems.append(f"{where}: must be an object.")
        return
    code = question.get("code")
    if not isinstance(code, str) or not _SLUG.match(code) or len(code) > 40:
        checker.problems.append(f"{where}: “code” must be lower-case letters, digits, hyphens.")
    elif code in codes:
        checker.problems.append(f"{where} ({code}): the code is used twice.")
    else:
        codes.add(code)
        where = f"{where} ({code})"
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        checker.problems.append(f"{where}: “kind” must be one of {', '.join(QuestionKind.values)}.")
        return
    checker.text(question, "text", where, limit=4000, required=True)
    for field, limit in QUESTION_TEXTS.items():
        checker.text(question, field, where, limit=limit)
    checker.flag(question, "required", where)
    checker.flag(question, "reverse_scored", where)
    if kind in SCALE_POINTS and not (question.get("low_label") and question.get("high_label")):
        checker.problems.append(f"{where}: a scale needs “low_label” and “high_label”.")
    _check_choices(checker, question, kind, where)


def instrument_file_problems(data: object) -> list[str]:
    """Everything wrong with a file's JSON; empty when it can be imported."""
    checker = _Checker()
    if not isinstance(data, dict):
        return ["The file: it must hold one JSON object."]
    _check_top(checker, data)
    codes: set[str] = set()
    for s_number, section in enumerate(checker.items(data, "sections", "The file"), start=1):
        where = f"Page {s_number}"
        if not isinstance(section, dict):
            checker.problems.append(f"{where}: must be an object.")
            continue
        checker.text(section, "title", where, limit=200, required=True)
        checker.text(section, "intro", where, limit=2000)
        for q_number, question in enumerate(checker.items(section, "questions", where), start=1):
            _check_question(checker, question, f"{where}, question {q_number}", codes)
    return checker.problems


def instrument_file_read(content: bytes) -> dict[str, Any]:
    """The file's JSON, checked; a ValidationError lists every problem."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(TOO_LARGE)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(NOT_JSON.format(error=error)) from None
    problems = instrument_file_problems(data)
    if problems:
        raise ValidationError(problems)
    checked: dict[str, Any] = data
    return checked


@transaction.atomic
def instrument_import(*, organisation: Organisation, content: bytes) -> Instrument:
    """Version 1 of the organisation's own instrument from a file (`instrument_export`'s)."""
    data = instrument_file_read(content)
    if instrument_family(organisation, data["key"]).exists():
        raise ValidationError(KEY_TAKEN.format(key=data["key"]))
    instrument = Instrument.objects.create(
        organisation=organisation,
        key=data["key"],
        version=1,
        name=data["name"],
        description=data.get("description", ""),
        source=data.get("source", ""),
        minutes=data.get("minutes", 5),
        based_on=Instrument.objects.filter(organisation=None, key=data["key"])
        .order_by("-version")
        .first(),
    )
    for s_position, spec in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            instrument=instrument,
            position=s_position,
            title=spec["title"],
            intro=spec.get("intro", ""),
        )
        for q_position, q in enumerate(spec["questions"], start=1):
            _question_create(section, q_position, q)
    return instrument


def _question_create(section: Section, position: int, spec: Mapping[str, Any]) -> None:
    question = Question.objects.create(
        section=section,
        instrument=section.instrument,
        position=position,
        code=spec["code"],
        kind=spec["kind"],
        text=spec["text"],
        required=spec.get("required", True),
        reverse_scored=spec.get("reverse_scored", False),
        **{field: spec.get(field, "") for field in QUESTION_TEXTS},
    )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=c_position,
            value=c["value"],
            label=c["label"],
            score=c.get("score"),
            unfavourable=c.get("unfavourable", False),
        )
        for c_position, c in enumerate(spec.get("choices", []), start=1)
    )
