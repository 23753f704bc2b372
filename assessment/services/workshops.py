"""Running a live workshop: opening it with a join code and a head count, pacing the room,
taking answers, hiding comments from the wall, closing it.

Nobody who joins with the code can be verified, so the head count the facilitator states
(and the screen shows the room) bounds how many can join: a made-up join takes a real
person's place, and that person is told the room is full and to tell the facilitator.

The answer path is the hot one (a whole room taps at once): it reads the workshop without
locking it and writes one row with one INSERT … ON CONFLICT, so answers never wait for
each other or for the facilitator's controls, and a retry never makes a second row."""

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from assessment.anonymity.thresholds import (
    MIN_THRESHOLD,
    threshold_errors,
)
from assessment.free_text import cleaned
from assessment.models import (
    Department,
    Instrument,
    Level,
    Organisation,
    Question,
    QuestionKind,
    Round,
    Workshop,
    WorkshopAnswer,
    WorkshopParticipant,
    WorkshopQuestion,
    WorkshopStatus,
)
from assessment.models.workshops import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from assessment.services.workshop_steps import workshop_results_step

NO_QUESTIONS = "Choose at least one question."
QUESTIONS_NOT_IN_INSTRUMENT = "Every question must come from the chosen questionnaire."
NOT_YOURS = "That does not belong to this organisation."
NOT_LIVE = "This workshop is closed."
NO_SUCH_QUESTION = "This workshop has no such question."
QUESTION_NOT_OPEN = "The room has moved on: this question is not open any more."
LEVEL_NOT_YOURS = "Choose one of the levels listed."
DEPARTMENT_NOT_LISTED = "Choose one of the departments listed."
DEPARTMENT_NEEDED = "Please say which department you are in."
NO_ROUND = "This workshop is not tied to a round."
MULTI_VALUE_TOO_LARGE = "A “several choices” question can only use values 0 to 62."
ROOM_FULL = (
    "The room is full: as many people have joined as the facilitator counted in the room. "
    "If you have not joined yet, tell the facilitator."
)
HEAD_COUNT_TOO_LOW = "Say how many people are in the room: at least 1."
HEAD_COUNT_BELOW_JOINED = (
    "{joined} people have already joined: the head count cannot be lower than that."
)

# With 31⁶ (about 890 million) codes and at most a few hundred live workshops, a clash
# is rare; a few tries make it practically impossible.
JOIN_CODE_TRIES = 10
MAX_MULTI_VALUE = 62  # bit 63 would make the BIGINT negative


def join_code_new() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    """What people type: any case, spaces or a dash between the two halves."""
    return "".join(c for c in code.upper() if c.isalnum())[: JOIN_CODE_LENGTH + 4]


def workshop_departments(workshop: Workshop) -> list[Department]:
    """The departments a participant may say they are in: the workshop's department and
    those below it, or every department when it is for the whole organisation."""
    departments = Department.objects.filter(organisation=workshop.organisation_id)
    if workshop.department_id:
        path = workshop.department.path
        departments = departments.filter(Q(path=path) | Q(path__startswith=f"{path}/"))
    return list(departments.order_by("path"))


@transaction.atomic
def workshop_create(
    *,
    organisation: Organisation,
    name: str,
    instrument: Instrument,
    head_count: int,
    questions: Iterable[Question] | None = None,
    round_: Round | None = None,
    department: Department | None = None,
    threshold: int | None = None,
    comment_threshold: int | None = None,
    count_in_round: bool = False,
    created_by: AbstractBaseUser | None = None,
) -> Workshop:
    """Open a live workshop for a room of `head_count` people on a questionnaire (all of
    it, or the chosen questions, in the questionnaire's order) and give it a join code no
    other live workshop has."""
    threshold = max(organisation.threshold, MIN_THRESHOLD) if threshold is None else threshold
    if comment_threshold is None:
        comment_threshold = max(organisation.comment_threshold, threshold)
    all_questions = list(
        Question.objects.filter(instrument=instrument).order_by("section__position", "position")
    )
    chosen = {q.pk for q in questions} if questions is not None else None
    selected = [q for q in all_questions if chosen is None or q.pk in chosen]
    errors = threshold_errors(threshold, comment_threshold)
    if head_count < 1:
        errors["head_count"] = HEAD_COUNT_TOO_LOW
    if instrument.organisation_id not in (None, organisation.pk):
        errors["instrument"] = NOT_YOURS
    errors.update(_question_errors(chosen, all_questions, selected))
    errors.update(_ownership_errors(organisation, round_, department))
    if errors:
        raise ValidationError(errors)
    workshop = _workshop_with_join_code(
        organisation=organisation,
        name=name,
        instrument=instrument,
        round=round_,
        department=department,
        head_count=head_count,
        threshold=threshold,
        comment_threshold=comment_threshold,
        count_in_round=count_in_round and round_ is not None,
        created_by=created_by,
    )
    WorkshopQuestion.objects.bulk_create(
        WorkshopQuestion(workshop=workshop, question=question, position=position)
        for position, question in enumerate(selected, start=1)
    )
    return workshop


def _question_errors(
    chosen: set[int] | None, all_questions: list[Question], selected: list[Question]
) -> dict[str, str]:
    if chosen is not None and not chosen <= {q.pk for q in all_questions}:
        return {"questions": QUESTIONS_NOT_IN_INSTRUMENT}
    if not selected:
        return {"questions": NO_QUESTIONS}
    return {}


def _ownership_errors(
    organisation: Organisation, round_: Round | None, department: Department | None
) -> dict[str, str]:
    """The round and department a workshop is for must be the organisation's."""
    errors = {}
    if round_ is not None and round_.organisation_id != organisation.pk:
        errors["round"] = NOT_YOURS
    if department is not None and department.organisation_id != organisation.pk:
        errors["department"] = NOT_YOURS
    return errors


def _workshop_with_join_code(**fields: Any) -> Workshop:
    """The workshop, created with a join code no other live workshop has."""
    attempt = 1
    while True:
        try:
            # A savepoint, so that a clash with another live workshop's code (the partial
            # unique constraint) can be retried with a new code inside this transaction.
            with transaction.atomic():
                return Workshop.objects.create(**fields, join_code=join_code_new())
        except IntegrityError:
            if attempt == JOIN_CODE_TRIES:
                raise
            attempt += 1


def _locked(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


@transaction.atomic
def workshop_go_to(*, workshop: Workshop, position: int) -> Workshop:
    """Show question `position`. While the room is paced, every phone follows; with all
    questions open, only the presenter's screen moves."""
    workshop = _locked(workshop)
    if not workshop.is_live:
        raise ValidationError(NOT_LIVE)
    if not workshop.questions.filter(position=position).exists():
        raise ValidationError(NO_SUCH_QUESTION)
    workshop.current = position
    workshop.save(update_fields=["current"])
    return workshop


@transaction.atomic
def workshop_step(*, workshop: Workshop, step: int) -> Workshop:
    """Next (+1) or previous (−1) question; at either end nothing changes."""
    workshop = _locked(workshop)
    last = workshop.questions.count()
    position = min(max(workshop.current + step, 1), last)
    if position == workshop.current or not workshop.is_live:
        return workshop
    return workshop_go_to(workshop=workshop, position=position)


@transaction.atomic
def workshop_pace(*, workshop: Workshop, all_open: bool) -> Workshop:
    """Open every question at once, or go back to moving the room question by question."""
    workshop = _locked(workshop)
    if not workshop.is_live:
        raise ValidationError(NOT_LIVE)
    workshop.all_open = all_open
    workshop.save(update_fields=["all_open"])
    return workshop


@transaction.atomic
def workshop_head_count_set(*, workshop: Workshop, head_count: int) -> Workshop:
    """Say again how many people are in the room: never fewer than have joined, since
    they are in it."""
    workshop = _locked(workshop)
    if not workshop.is_live:
        raise ValidationError(NOT_LIVE)
    if head_count < 1:
        raise ValidationError({"head_count": HEAD_COUNT_TOO_LOW})
    joined = workshop.participants.count()
    if head_count < joined:
        raise ValidationError({"head_count": HEAD_COUNT_BELOW_JOINED.format(joined=joined)})
    workshop.head_count = head_count
    workshop.save(update_fields=["head_count"])
    return workshop


@transaction.atomic
def workshop_close(*, workshop: Workshop) -> Workshop:
    """Close the workshop. Its results stay those of the last step, and each question
    publishes one last step only where one is due by the same rule: the answers since
    that step are shown only if there are enough of them to hide each one."""
    workshop = _locked(workshop)
    if not workshop.is_live:
        raise ValidationError(NOT_LIVE)
    for workshop_question in workshop.questions.all():
        workshop_results_step(workshop=workshop, workshop_question=workshop_question)
    workshop.status = WorkshopStatus.CLOSED
    workshop.closed_at = timezone.now()
    workshop.save(update_fields=["status", "closed_at"])
    return workshop


@transaction.atomic
def workshop_count_in_round_set(*, workshop: Workshop, count: bool) -> Workshop:
    workshop = _locked(workshop)
    if workshop.round_id is None:
        raise ValidationError(NO_ROUND)
    workshop.count_in_round = count
    workshop.save(update_fields=["count_in_round"])
    return workshop


@transaction.atomic
def workshop_text_hide(*, workshop: Workshop, answer_id: str, hidden: bool = True) -> int:
    """Take a comment off the wall (or put it back). Returns the rows changed: 0 when the
    id is not one of this workshop's answers."""
    return WorkshopAnswer.objects.filter(workshop=workshop, pk=answer_id).update(text_hidden=hidden)


@transaction.atomic
def participant_join(
    *, workshop: Workshop, level: Level, department: Department | None = None
) -> WorkshopParticipant:
    """A new anonymous participant: the level and department they said, nothing else;
    refused once as many have joined as the head count."""
    # The lock makes joins that arrive together count one after the other, so that the
    # room never holds more than the head count. A join is a few milliseconds, once a person.
    workshop = _locked(workshop)
    if not workshop.is_live:
        raise ValidationError(NOT_LIVE)
    if workshop.participants.count() >= workshop.head_count:
        raise ValidationError(ROOM_FULL)
    if level.organisation_id != workshop.organisation_id:
        raise ValidationError({"level": LEVEL_NOT_YOURS})
    departments = workshop_departments(workshop)
    if len(departments) == 1:
        department = departments[0]
    elif department is None and departments:
        raise ValidationError({"department": DEPARTMENT_NEEDED})
    elif department is not None and department.pk not in {d.pk for d in departments}:
        raise ValidationError({"department": DEPARTMENT_NOT_LISTED})
    return WorkshopParticipant.objects.create(workshop=workshop, level=level, department=department)


def is_open_for_answers(workshop: Workshop, position: int) -> bool:
    return workshop.is_live and (workshop.all_open or workshop.current == position)


def choices_mask(values: Iterable[int]) -> int:
    mask = 0
    for value in values:
        if not 0 <= value <= MAX_MULTI_VALUE:
            raise ValidationError(MULTI_VALUE_TOO_LARGE)
        mask |= 1 << value
    return mask


def workshop_answer_save(
    *,
    participant: WorkshopParticipant,
    workshop_question: WorkshopQuestion,
    value: int | list[int] | str | None,
    comment: str = "",
) -> None:
    """Keep a participant's answer to an open question, replacing an earlier one.

    `participant.workshop` is read as it is, unlocked: an answer that arrives a moment
    after the facilitator moved on is harmless, while locking the workshop row would
    queue the whole room behind each other."""
    workshop = participant.workshop
    if not workshop.is_live:
        raise ValidationError(NOT_LIVE)
    if workshop_question.workshop_id != workshop.pk:
        raise ValidationError(NO_SUCH_QUESTION)
    if not is_open_for_answers(workshop, workshop_question.position):
        raise ValidationError(QUESTION_NOT_OPEN)
    question = workshop_question.question
    answer = WorkshopAnswer(
        workshop_id=workshop.pk,
        participant=participant,
        question=question,
        level_id=participant.level_id,
        department_id=participant.department_id,
    )
    match question.kind:
        case QuestionKind.TEXT:
            answer.text = (value or "").strip() if isinstance(value, str) else ""
        case QuestionKind.MULTI_CHOICE:
            answer.choices = choices_mask(value or [])
            answer.text = comment.strip()
        case _:
            answer.value = value
            answer.text = comment.strip()
    answer.text = cleaned(answer.text).strip()
    # One statement, no transaction around it to hold locks longer than it takes.
    WorkshopAnswer.objects.bulk_create(
        [answer],
        update_conflicts=True,
        unique_fields=["participant", "question"],
        update_fields=["value", "choices", "text"],
    )
    workshop_results_step(workshop=workshop, workshop_question=workshop_question)
