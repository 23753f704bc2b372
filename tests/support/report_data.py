"""Rounds with answers written straight into the tables, for report tests.

The report counts rows, so tests make rows (thousands at a time if need be) exactly as
`response_submit` stores them: one Answer per chosen value, one TextAnswer per text or
comment, each carrying the response's round, department and level.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from assessment.models import (
    Answer,
    Department,
    Instrument,
    Invitation,
    InvitationStatus,
    Level,
    LevelKind,
    Organisation,
    Question,
    Response,
    Round,
    RoundStatus,
    TextAnswer,
    Workshop,
)
from assessment.services.rounds import round_create, round_tree_freeze
from assessment.services.workshops import workshop_create, workshop_pace
from tests.support.factories import DepartmentFactory

BATCH = 5000


@dataclass
class Respondent:
    """One submitted response: answers by question code (a list for several choices),
    free-text answers and comments by question code."""

    department: Department
    level: Level
    answers: dict[str, int | list[int]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


def make_round(
    organisation: Organisation,
    instruments: Iterable[Instrument],
    *,
    name: str = "Spring round",
    closed: bool = True,
    threshold: int | None = None,
    comment_threshold: int | None = None,
    opens_at: datetime.datetime | None = None,
) -> Round:
    """A launched round, closed (the default) or open now."""
    now = timezone.now()
    opens_at = opens_at or now - datetime.timedelta(days=20)
    closes_at = opens_at + datetime.timedelta(days=14) if closed else now + datetime.timedelta(1)
    round_ = round_create(
        organisation=organisation,
        name=name,
        purpose="Where does customer-centricity live here?",
        instruments=instruments,
        opens_at=opens_at,
        closes_at=closes_at,
        threshold=threshold,
        comment_threshold=comment_threshold,
    )
    round_.status = RoundStatus.CLOSED if closed else RoundStatus.LAUNCHED
    round_.launched_at = opens_at
    round_.closed_at = closes_at if closed else None
    round_.save(update_fields=["status", "launched_at", "closed_at"])
    return round_


def questions_by_code(round_: Round) -> dict[str, Question]:
    return {q.code: q for q in Question.objects.filter(instrument__in=round_.instruments.all())}


def write_responses(
    round_: Round,
    respondents: Iterable[Respondent],
    *,
    not_responded: Iterable[tuple[Department, Level, int]] = (),
) -> None:
    """Submitted responses with their invitations, plus invitations of people who did
    not answer: (department, level, how many)."""
    questions = questions_by_code(round_)
    responses: list[Response] = []
    answers: list[Answer] = []
    texts: list[TextAnswer] = []
    invitations: list[Invitation] = []
    for person in respondents:
        response = Response(
            id=uuid.uuid4(),
            round=round_,
            department=person.department,
            level=person.level,
        )
        keys = {
            "response": response,
            "round": round_,
            "department": person.department,
            "level": person.level,
        }
        responses.append(response)
        invitations.append(
            Invitation(
                round=round_,
                department=person.department,
                level=person.level,
                status=InvitationStatus.SUBMITTED,
            )
        )
        for code, value in person.answers.items():
            values = sorted(set(value)) if isinstance(value, list) else [value]
            answers += [
                Answer(question=questions[code], value=v, counts_respondent=i == 0, **keys)
                for i, v in enumerate(values)
            ]
        for code, text in person.texts.items():
            texts.append(TextAnswer(question=questions[code], text=text, **keys))
        for code, text in person.comments.items():
            texts.append(TextAnswer(question=questions[code], text=text, is_comment=True, **keys))
    for department, level, count in not_responded:
        invitations.extend(
            Invitation(round=round_, department=department, level=level) for _ in range(count)
        )
    Response.objects.bulk_create(responses, batch_size=BATCH)
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    TextAnswer.objects.bulk_create(texts, batch_size=BATCH)
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    # As if these people had been invited at launch: the round's tree holds their
    # departments.
    round_tree_freeze(round_=round_)


def two_departments_answering(
    organisation: Organisation, instruments: Iterable[Instrument], names: tuple[str, str]
) -> tuple[Round, Callable[[int, int], None]]:
    """An open round of two departments, and `answer(first, second)`: that many more
    front-line people of each submit (the checklist's first item, all alike)."""
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    departments = [DepartmentFactory(organisation=organisation, name=name) for name in names]
    round_ = make_round(organisation, instruments, closed=False)

    def answer(*counts: int) -> None:
        write_responses(
            round_,
            [
                Respondent(department=department, level=front, answers={"checklist-01": 1})
                for department, n in zip(departments, counts, strict=True)
                for _ in range(n)
            ],
        )

    return round_, answer


def people(department, level, n: int, **answers) -> list[Respondent]:
    """n respondents; each answer keyword is a list holding one value per person
    (None: not answered)."""
    crowd = [Respondent(department=department, level=level) for _ in range(n)]
    for keyword, values in answers.items():
        code = keyword.replace("_", "-")
        assert len(values) == n
        for person, value in zip(crowd, values, strict=True):
            if value is not None:
                person.answers[code] = value
    return crowd


def sales_huddle(round_: Round, department: Department, head_count: int, **options) -> Workshop:
    """A workshop of the round for `department` on conversation-03, every question open.
    `options` go to workshop_create (count_in_round…)."""
    return workshop_pace(
        workshop=workshop_create(
            organisation=round_.organisation,
            name="Sales huddle",
            instrument=Instrument.objects.get(key="conversation", organisation=None),
            head_count=head_count,
            questions=Question.objects.filter(code="conversation-03"),
            round_=round_,
            department=department,
            **options,
        ),
        all_open=True,
    )
