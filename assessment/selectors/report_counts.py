"""Reads of a report build: what each department's members answered, counted by
PostgreSQL into the rows of a report part (assessment/reporting/counts.py), and where the
round's builds and published version stand. Nothing here writes."""

from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, QuerySet

from assessment.models import (
    Answer,
    Invitation,
    QuestionKind,
    ReportBuild,
    ReportBuildStatus,
    ReportPart,
    ReportPartStatus,
    ReportSnapshot,
    Response,
    Round,
    TextAnswer,
    Workshop,
    WorkshopAnswer,
)
from assessment.models.reports import ACTIVE_BUILD_STATUSES
from assessment.reporting.counts import part_json
from assessment.reporting.views import JSON


def report_new_responses(round_: Round) -> tuple[int, int | None]:
    """Responses since the report was last built, and how many there were then (None when
    it never was). Its version may count fewer (assessment/anonymity/steps.py). Workshop
    participants are not counted: they never move a report on."""
    built = ReportBuild.objects.filter(round=round_, status=ReportBuildStatus.DONE)
    counted = built.order_by("-pk").values_list("response_count", flat=True).first()
    return Response.objects.filter(round=round_).count() - (counted or 0), counted


def report_pending_part_ids(*, build_id: int) -> list[int]:
    """The parts of a build still to be counted (none once the build has ended)."""
    return list(
        ReportPart.objects.filter(
            build_id=build_id,
            build__status__in=ACTIVE_BUILD_STATUSES,
            status=ReportPartStatus.PENDING,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def report_pending_departments(build: ReportBuild) -> list[str]:
    return sorted(
        build.parts.exclude(status=ReportPartStatus.DONE).values_list("department__path", flat=True)
    )


@contextmanager
def _one_database_snapshot() -> Iterator[None]:
    """A transaction whose queries all see the same moment, so that a response
    submitted meanwhile is in every count of a department or in none."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def department_counts(*, round_id: int, department_id: int, with_workshops: bool = False) -> JSON:
    """What the direct members of one department answered, counted by PostgreSQL: one
    GROUP BY over the answers (which also counts who answered each question), one over
    the texts, and small ones for participation. With workshops, the answers given in the
    round's workshops that count are kept beside them (part_json's `workshop`)."""
    mine = {"round_id": round_id, "department_id": department_id}
    with _one_database_snapshot():
        workshop = (
            workshop_counts(round_id=round_id, department_id=department_id)
            if with_workshops
            else None
        )
        answers: Counter[tuple[int, int, int]] = Counter()
        respondents: Counter[tuple[int, int]] = Counter()
        for question, level, value, counts_respondent, n in (
            Answer.objects.filter(**mine)
            .values_list("question_id", "level_id", "value", "counts_respondent")
            .annotate(n=Count("*"))
            .order_by()
        ):
            answers[(question, level, value)] += n
            if counts_respondent:
                respondents[(question, level)] += n
        texts = (
            TextAnswer.objects.filter(**mine)
            .values_list("question_id", "level_id", "is_comment", "text")
            .annotate(n=Count("*"))
            .order_by()
        )
        responded = (
            Response.objects.filter(**mine)
            .values_list("level_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        invited = (
            Invitation.objects.filter(**mine)
            .values_list("level_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        return part_json(
            invited=list(invited),
            responded=list(responded),
            answers=[(*key, n) for key, n in answers.items()],
            respondents=[(*key, n) for key, n in respondents.items()],
            texts=list(texts),
            workshop=workshop,
        )


def report_counts_workshops(round_: Round) -> bool:
    """Whether the round's report counts the answers of some of its workshops."""
    return Workshop.objects.filter(round=round_, count_in_round=True).exists()


def _counted_workshop_answers(round_id: int) -> QuerySet[WorkshopAnswer]:
    return WorkshopAnswer.objects.filter(
        workshop__round_id=round_id,
        workshop__count_in_round=True,
        question__instrument__roundinstrument__round_id=round_id,
    )


def workshop_counts(*, round_id: int, department_id: int) -> JSON:
    """The department's answers in workshops tied to the round whose facilitator chose to
    count them, as rows of a report part: each participant counts as a respondent. Only
    questions the round asks count; comments the facilitator hid stay out."""
    answers = _counted_workshop_answers(round_id).filter(department_id=department_id)
    values = list(
        answers.filter(value__isnull=False)
        .values_list("question_id", "level_id", "value")
        .annotate(n=Count("*"))
        .order_by()
    )
    ticked = list(
        answers.filter(choices__isnull=False)
        .values_list("question_id", "level_id", "choices")
        .annotate(n=Count("*"))
        .order_by()
    )
    respondents: Counter[tuple[int, int]] = Counter()
    for question, level, mask, n in ticked:
        respondents[(question, level)] += n
        values.extend(
            (question, level, value, n) for value in range(mask.bit_length()) if mask >> value & 1
        )
    texts = [
        (question, level, kind != QuestionKind.TEXT, text, n)
        for question, level, kind, text, n in answers.exclude(text="")
        .filter(text_hidden=False)
        .values_list("question_id", "level_id", "question__kind", "text")
        .annotate(n=Count("*"))
        .order_by()
    ]
    responded = list(
        answers.values_list("level_id").annotate(n=Count("participant", distinct=True)).order_by()
    )
    return {
        "responded": responded,
        "answers": values,
        "respondents": [(q, lv, n) for (q, lv), n in respondents.items()],
        "texts": texts,
    }


@dataclass(frozen=True)
class LastVersion:
    """What the round's published version counted per department, and what its gate hid."""

    build_id: int | None = None
    provisional: bool = True
    counted: Mapping[int, JSON] = field(default_factory=dict)
    decisions: Mapping[str, list[str]] = field(default_factory=dict)
    held_back: int = 0

    @property
    def exists(self) -> bool:
        return self.build_id is not None


def report_last_version(round_id: int) -> LastVersion:
    """The round's published version (an empty one when it has none)."""
    current = (
        ReportSnapshot.objects.filter(round_id=round_id)
        .values_list("build_id", "provisional", "decisions", "organisation_part__held_back")
        .first()
    )
    if current is None:
        return LastVersion()
    build_id, provisional, decisions, held = current
    counted = dict(
        ReportPart.objects.filter(build_id=build_id).values_list("department_id", "published")
    )
    return LastVersion(build_id, provisional, counted, decisions or {}, held or 0)
