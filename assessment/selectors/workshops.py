"""Reads for workshops: the questions in order, what the room answered (counted with one
GROUP BY; its results only as last published in steps), who took part by level."""

import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from assessment.anonymity import (
    ORGANISATION,
    Partition,
    is_shown,
    level_key,
    short_of,
    suppressed_groups,
)
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


def joined_count(workshop: Workshop) -> int:
    """How many have joined: never more than the head count (participant_join)."""
    return WorkshopParticipant.objects.filter(workshop=workshop).count()


def room_is_full(workshop: Workshop) -> bool:
    return joined_count(workshop) >= workshop.head_count


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
    # The distribution last published (else None), and how many answers it counts.
    choices: list[ChoiceCount] | None = None
    shown: int = 0
    texts: int = 0
    shown_texts: int = 0
    # The comments (or free-text answers) last published, as they read then (else None);
    # sorted by their text, so the order says nothing of who or when.
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

    @property
    def held_back(self) -> int:
        """Answers that came after the last published step: too few to be shown apart."""
        return self.answered - self.shown if self.choices is not None else 0

    @property
    def texts_held_back(self) -> int:
        """Comments written after the wall was last published."""
        return max(self.texts - self.shown_texts, 0) if self.wall is not None else 0


def question_results(
    workshop: Workshop,
    questions: list[WorkshopQuestion],
    *,
    include_hidden: bool = False,
) -> list[QuestionResult]:
    """What the room answered to `questions`: how many answered, and the results last
    published in steps (services/workshop_steps.py), live or after the session; never
    the answers as they stand. Hidden comments are left out unless `include_hidden` (the
    facilitator's moderation list, never the projector)."""
    ids = [wq.question_id for wq in questions]
    sizes = {
        row["question_id"]: row
        for row in WorkshopAnswer.objects.filter(workshop=workshop, question__in=ids)
        .values("question_id")
        .annotate(n=Count("pk"), texts=Count("pk", filter=~Q(text="")))
        .order_by()
    }
    hidden = _hidden(workshop, questions)

    results = []
    for wq in questions:
        size = sizes.get(wq.question_id, {"n": 0, "texts": 0})
        result = QuestionResult(
            workshop_question=wq,
            answered=size["n"],
            texts=size["texts"],
            multi=wq.question.kind == QuestionKind.MULTI_CHOICE,
            needed=short_of(size["n"], workshop.threshold),
            texts_needed=short_of(size["texts"], workshop.comment_threshold),
        )
        # Never from a room smaller than the threshold, however the counts came about.
        if wq.question.kind != QuestionKind.TEXT and wq.shown_count and workshop.answers_can_show:
            values = {int(v): n for v, n in wq.shown_values.items()}
            result.shown = wq.shown_count
            result.choices = [
                ChoiceCount(
                    value=choice.value,
                    label=choice.label,
                    count=values.get(choice.value, 0),
                    percent=round(100 * values.get(choice.value, 0) / wq.shown_count),
                )
                for choice in wq.question.choices.all()
            ]
        if wq.shown_text_count and workshop.comments_can_show:
            result.shown_texts = wq.shown_text_count
            result.wall = [
                WallItem(id=uuid.UUID(item["id"]), text=item["text"], hidden=item["id"] in hidden)
                for item in wq.shown_wall
                if include_hidden or item["id"] not in hidden
            ]
        results.append(result)
    return results


def _hidden(workshop: Workshop, questions: list[WorkshopQuestion]) -> set[str]:
    """The published comments the facilitator has hidden since (by id, as the walls keep
    them): one query, none when no wall is published."""
    published = [item["id"] for wq in questions for item in wq.shown_wall]
    if not published:
        return set()
    return {
        str(pk)
        for pk in WorkshopAnswer.objects.filter(
            workshop=workshop, pk__in=published, text_hidden=True
        ).values_list("pk", flat=True)
    }


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


def workshop_answers_for_round(round_: Round) -> QuerySet[WorkshopAnswer]:
    """The workshop answers a round's report counts: those of workshops tied to the round
    whose facilitator chose to count them. Every other workshop answer stays apart."""
    return WorkshopAnswer.objects.filter(workshop__round=round_, workshop__count_in_round=True)
