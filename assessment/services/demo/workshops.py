"""The demo's workshops, one after each round, and the commitments each room made and how
they went."""

import datetime
import random

from assessment.models import (
    Commitment,
    CommitmentStatus,
    Department,
    Instrument,
    Level,
    LevelKind,
    Organisation,
    Question,
    Round,
    Workshop,
)
from assessment.selectors.workshops import workshop_questions
from assessment.services.commitments import commitment_create, commitment_status_set
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_close,
    workshop_create,
    workshop_departments,
    workshop_pace,
)

from .comments import demo_comment
from .data import WORKSHOP_HEAD_COUNT, WORKSHOP_QUESTIONS, WORKSHOPS


def workshops_and_commitments(
    organisation: Organisation,
    tops: dict[str, Department],
    rounds: dict[str, Round],
    rng: random.Random,
) -> None:
    """A workshop after each round (`rounds` by "spring" and "autumn"), with the
    commitments its room made and how they went."""
    conversation = Instrument.objects.get(organisation=None, key="conversation", version=1)
    questions = list(Question.objects.filter(instrument=conversation, code__in=WORKSHOP_QUESTIONS))
    today = organisation.today()
    for name, round_key, top, days_ago, commitments in WORKSHOPS:
        workshop = workshop_create(
            organisation=organisation,
            name=name,
            instrument=conversation,
            head_count=WORKSHOP_HEAD_COUNT,
            questions=questions,
            round_=rounds[round_key],
            department=tops[top],
        )
        workshop = workshop_pace(workshop=workshop, all_open=True)
        _workshop_answered(organisation, workshop, rng)
        workshop_close(workshop=workshop)
        made_on = today - datetime.timedelta(days=days_ago)
        # Due dates are counted from today: negative ones have passed.
        for what, who, due_from_today, status in commitments:
            commitment = commitment_create(
                organisation=organisation,
                what=what,
                who=who,
                due_on=today + datetime.timedelta(days=due_from_today),
                workshop=workshop,
                department=tops[top],
            )
            Commitment.objects.filter(pk=commitment.pk).update(made_on=made_on)
            if status != CommitmentStatus.OPEN:
                commitment_status_set(commitment=commitment, status=status)


def _workshop_answered(organisation: Organisation, workshop: Workshop, rng: random.Random) -> None:
    """The room joins, three managers and the front line, and answers every question."""
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    manager = Level.objects.get(organisation=organisation, kind=LevelKind.MANAGER)
    asked = workshop_questions(workshop)
    rooms = workshop_departments(workshop)
    for index in range(WORKSHOP_HEAD_COUNT):
        participant = participant_join(
            workshop=workshop,
            level=manager if index < 3 else front,
            department=rooms[index % len(rooms)],
        )
        participant.workshop = workshop
        for wq in asked:
            workshop_answer_save(
                participant=participant,
                workshop_question=wq,
                value=max(1, min(5, round_half(3 + rng.gauss(0.3, 1.0)))),
                comment=demo_comment(rng) if rng.random() < 0.5 else "",
            )


def round_half(value: float) -> int:
    return int(value + 0.5)
