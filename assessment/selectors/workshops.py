"""Reads for workshops: the questions in order, what the room answered (counted with one
GROUP BY, shown only through the anonymity gate), who took part by level."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from assessment.anonymity import ORGANISATION, Partition, is_shown, level_key, suppressed_groups
from assessment.models import (
    Choice,
    Level,
    Organisation,
    Question,
    QuestionKind,
    Round,
    Workshop,
    WorkshopAnswer,
    WorkshopParticipant,
    WorkshopQuestion,
)


def workshops_for(organisation: Organisation) -> QuerySet[Workshop]:
    return (
        Workshop.objects.filter(organisation=organisation)
        .select_related("instrument", "round", "department")
        .annotate(joined=Count("participants"))
        .order_by("-created_at", "-pk")
    )


def live_workshop_for_code(code: str) -> Workshop | None:
    return (
        Workshop.objects.select_related("organisation", "department")
        .filter(join_code=code, status="live")
        .first()
    )


def participant_by_id(participant_id: str) -> WorkshopParticipant | None:
    try:
        uuid.UUID(participant_id)
    except (TypeError, ValueError):
        return None
    return (
        WorkshopParticipant.objects.select_related("workshop__organisation")
        .filter(pk=participant_id)
        .first()
    )


CHOICES = Prefetch("question__choices", queryset=Choice.objects.order_by("position"))


def workshop_questions(workshop: Workshop) -> list[WorkshopQuestion]:
    """The workshop's questions in order, with their choices, in two queries."""
    return list(
        WorkshopQuestion.objects.filter(workshop=workshop)
        .select_related("question__section")
        .prefetch_related(CHOICES)
        .order_by("position")
    )


def workshop_question_at(workshop: Workshop, position: int) -> WorkshopQuestion | None:
    return (
        WorkshopQuestion.objects.filter(workshop=workshop, position=position)
        .select_related("question__section")
        .prefetch_related(CHOICES)
        .first()
    )


def answered_positions(participant: WorkshopParticipant) -> set[int]:
    return set(
        WorkshopQuestion.objects.filter(
            workshop=participant.workshop_id,
            question__in=WorkshopAnswer.objects.filter(participant=participant).values("question"),
        ).values_list("position", flat=True)
    )


def participant_answer(
    participant: WorkshopParticipant, question: Question
) -> WorkshopAnswer | None:
    return WorkshopAnswer.objects.filter(participant=participant, question=question).first()


@dataclass
class ChoiceCount:
    value: int
    label: str
    count: int
    percent: int


@dataclass
class WallItem:
    id: uuid.UUID
    text: str
    hidden: bool


@dataclass
class QuestionResult:
    workshop_question: WorkshopQuestion
    answered: int = 0
    # The distribution, only when at least the threshold answered (else None).
    choices: list[ChoiceCount] | None = None
    texts: int = 0
    # The comments (or free-text answers), only when at least the comment threshold
    # wrote one (else None); sorted by their text, so the order says nothing of who or when.
    wall: list[WallItem] | None = None
    multi: bool = False
    needed: int = 0
    texts_needed: int = 0

    @property
    def question(self) -> Question:
        return self.workshop_question.question

    @property
    def position(self) -> int:
        return self.workshop_question.position


@dataclass
class _Tally:
    answered: int = 0
    texts: int = 0
    values: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def question_results(
    workshop: Workshop,
    questions: list[WorkshopQuestion],
    *,
    include_hidden: bool = False,
) -> list[QuestionResult]:
    """What the room answered to `questions`, through the gate: a distribution only when
    at least `workshop.threshold` answered, comments only when at least
    `workshop.comment_threshold` wrote one. Hidden comments are left out unless
    `include_hidden` (the facilitator's moderation list, never the projector)."""
    ids = [wq.question_id for wq in questions]
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    grouped = (
        WorkshopAnswer.objects.filter(workshop=workshop, question__in=ids)
        .values("question_id", "value", "choices")
        .annotate(n=Count("pk"), texts=Count("pk", filter=~Q(text="")))
        .order_by()
    )
    for row in grouped:
        tally = tallies[row["question_id"]]
        # Every row is one participant's answer: a value, several choices or a text.
        tally.answered += row["n"]
        tally.texts += row["texts"]
        if row["value"] is not None:
            tally.values[row["value"]] += row["n"]
        elif row["choices"] is not None:
            # Unpack the bitmask of each distinct combination: a handful of rows.
            for value in range(row["choices"].bit_length()):
                if row["choices"] >> value & 1:
                    tally.values[value] += row["n"]

    if workshop.is_live:
        published = _published(workshop, questions, include_hidden)
    else:
        published = _final(workshop, questions, tallies, include_hidden)

    results = []
    for wq in questions:
        tally = tallies[wq.question_id]
        values, shown_count, wall = published[wq.question_id]
        result = QuestionResult(
            workshop_question=wq,
            answered=tally.answered,
            texts=tally.texts,
            multi=wq.question.kind == QuestionKind.MULTI_CHOICE,
            needed=max(workshop.threshold - tally.answered, 0),
            texts_needed=max(workshop.comment_threshold - tally.texts, 0),
        )
        if wq.question.kind != QuestionKind.TEXT and values is not None:
            result.choices = [
                ChoiceCount(
                    value=choice.value,
                    label=choice.label,
                    count=values.get(choice.value, 0),
                    percent=round(100 * values.get(choice.value, 0) / shown_count),
                )
                for choice in wq.question.choices.all()
            ]
        result.wall = wall
        results.append(result)
    return results


Published = tuple[dict[int, int] | None, int, list[WallItem] | None]


def _wall(workshop: Workshop, answer_ids: list, include_hidden: bool) -> dict[int, list[WallItem]]:
    walls: dict[int, list[WallItem]] = defaultdict(list)
    if not answer_ids:
        return walls
    texts = WorkshopAnswer.objects.filter(workshop=workshop, pk__in=answer_ids).exclude(text="")
    if not include_hidden:
        texts = texts.filter(text_hidden=False)
    for row in texts.order_by(Lower("text"), "text", "pk").values(
        "pk", "question_id", "text", "text_hidden"
    ):
        walls[row["question_id"]].append(
            WallItem(id=row["pk"], text=row["text"], hidden=row["text_hidden"])
        )
    return walls


def _published(
    workshop: Workshop, questions: list[WorkshopQuestion], include_hidden: bool
) -> dict[int, Published]:
    """While the room is live: the results last published in steps (see
    services/workshop_steps.py), never the answers as they arrive."""
    walls = _wall(workshop, [pk for wq in questions for pk in wq.shown_wall], include_hidden)
    published: dict[int, Published] = {}
    for wq in questions:
        values = {int(v): n for v, n in wq.shown_values.items()} if wq.shown_count else None
        wall = walls[wq.question_id] if wq.shown_text_count else None
        published[wq.question_id] = (values, wq.shown_count, wall)
    return published


def _final(
    workshop: Workshop,
    questions: list[WorkshopQuestion],
    tallies: dict[int, "_Tally"],
    include_hidden: bool,
) -> dict[int, Published]:
    """After the session: every answer, through the gate."""
    answer_sizes = {wq.question_id: tallies[wq.question_id].answered for wq in questions}
    text_sizes = {wq.question_id: tallies[wq.question_id].texts for wq in questions}
    hidden_answers = suppressed_groups(answer_sizes, [], workshop.threshold)
    hidden_texts = suppressed_groups(text_sizes, [], workshop.comment_threshold)
    wall_questions = [
        wq.question_id for wq in questions if is_shown(wq.question_id, hidden_texts, text_sizes)
    ]
    wall_ids = list(
        WorkshopAnswer.objects.filter(workshop=workshop, question__in=wall_questions)
        .exclude(text="")
        .values_list("pk", flat=True)
    )
    walls = _wall(workshop, wall_ids, include_hidden)
    published: dict[int, Published] = {}
    for wq in questions:
        tally = tallies[wq.question_id]
        shown = is_shown(wq.question_id, hidden_answers, answer_sizes)
        published[wq.question_id] = (
            dict(tally.values) if shown else None,
            tally.answered,
            walls[wq.question_id] if wq.question_id in wall_questions else None,
        )
    return published


def answered_counts(workshop: Workshop) -> dict[int, int]:
    """How many answered each question, by position. A count alone is split by nothing,
    so it is shown from the first answer (the room can see who is holding a phone)."""
    by_question = dict(
        WorkshopAnswer.objects.filter(workshop=workshop)
        .values("question_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("question_id", "n")
    )
    positions = WorkshopQuestion.objects.filter(workshop=workshop).values_list(
        "position", "question_id"
    )
    return {position: by_question.get(question_id, 0) for position, question_id in positions}


@dataclass
class LevelCount:
    level: Level
    count: int | None  # None: fewer than the threshold, not shown


@dataclass
class WhoTookPart:
    levels: list[LevelCount]
    total: int | None
    threshold: int


def who_took_part(workshop: Workshop) -> WhoTookPart:
    """Participants who answered at least one question, by the level they said. Counts by
    level pass the gate, so that a small level can be neither seen nor subtracted out."""
    levels = list(Level.objects.filter(organisation=workshop.organisation_id))
    counts = dict(
        WorkshopParticipant.objects.filter(workshop=workshop, answers__isnull=False)
        .values("level_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("level_id", "n")
    )
    sizes = {level_key(lv.pk): counts.get(lv.pk, 0) for lv in levels}
    sizes[ORGANISATION] = sum(counts.values())
    partition = Partition(ORGANISATION, tuple(level_key(lv.pk) for lv in levels))
    hidden = suppressed_groups(sizes, [partition], workshop.threshold)
    return WhoTookPart(
        levels=[
            LevelCount(
                level=lv,
                count=sizes[level_key(lv.pk)]
                if is_shown(level_key(lv.pk), hidden, sizes) or not sizes[level_key(lv.pk)]
                else None,
            )
            for lv in levels
        ],
        total=sizes[ORGANISATION] if ORGANISATION not in hidden else None,
        threshold=workshop.threshold,
    )


def workshop_answers_for_round(round: Round) -> QuerySet[WorkshopAnswer]:
    """The workshop answers a round's report counts: those of workshops tied to the round
    whose facilitator chose to count them. Every other workshop answer stays apart."""
    return WorkshopAnswer.objects.filter(workshop__round=round, workshop__count_in_round=True)
