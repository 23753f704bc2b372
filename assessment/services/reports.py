"""Building the culture report.

A build is a row with a status. Starting one creates a part per department and, once
committed, queues a task per part and a merge after them (a Celery chord). Each part
counts its department's direct members in the database; the merge rolls the parts up the
department tree, passes everything through the anonymity gate and publishes the snapshot
in one transaction. Every step may run twice: what is done is never done again.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from assessment.anonymity import reaches
from assessment.anonymity.steps import held_back, next_version, same_version
from assessment.models import (
    REPORT_SCHEMA,
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
    RoundStatus,
    TextAnswer,
    Workshop,
    WorkshopAnswer,
)
from assessment.models.reports import ACTIVE_BUILD_STATUSES
from assessment.reporting.assembly import (
    Counts,
    DepartmentInfo,
    LevelInfo,
    ReportAssembly,
    part_json,
    question_json,
)
from assessment.selectors.reports import report_previous_snapshot, report_questions
from assessment.selectors.round_shape import round_departments, round_levels

logger = logging.getLogger(__name__)

ROUND_NOT_LAUNCHED = "This round has not been launched: there is nothing to report yet."
REPORT_UP_TO_DATE = (
    "The report was last built when {counted} people had answered. While the round is open "
    "it is built again only once at least {threshold} more have answered ({new} so far), and "
    "each group moves on only by at least {threshold} of its own people, so that comparing "
    "two versions never singles anyone out."
)
# A build that has not moved for this long has its missing departments queued again by the
# reconciler: their messages may have been lost (a worker killed with them in hand, a
# broker restarted empty, a request that could not reach the broker). Counting a
# department twice changes nothing.
REQUEUE_AFTER = datetime.timedelta(minutes=2)
# A build that has not moved for this long is finished or given up by the reconciler.
STALE_AFTER = datetime.timedelta(minutes=30)


def report_is_provisional(round: Round) -> bool:
    """Whether answers may still arrive: then the report is provisional."""
    return round.status != RoundStatus.CLOSED and timezone.now() < round.closes_at


def _new_responses(round: Round) -> tuple[int, int | None]:
    """Responses since the report was last built, and how many there were then (None when
    it never was). Its version may count fewer (assessment/anonymity/steps.py). Workshop
    participants are not counted: they never move a report on."""
    built = ReportBuild.objects.filter(round=round, status=ReportBuildStatus.DONE)
    counted = built.order_by("-pk").values_list("response_count", flat=True).first()
    return Response.objects.filter(round=round).count() - (counted or 0), counted


def reports_refresh_due() -> list[ReportBuild]:
    """Rebuild the provisional report of every open round once at least its threshold of
    new responses has come in (responses are saved without touching the broker; this
    periodic check is what turns them into a report)."""
    started = []
    now = timezone.now()
    rounds = Round.objects.filter(status=RoundStatus.LAUNCHED, opens_at__lte=now, closes_at__gt=now)
    for round in rounds.exclude(report_builds__status__in=ACTIVE_BUILD_STATUSES):
        new, _ = _new_responses(round)
        if reaches(new, round.threshold):
            try:
                started.append(report_build_start(round=round))
            except ValidationError:
                continue  # answered meanwhile by a parallel run
    return started


def report_build_final(*, round_id: int) -> None:
    """The final report of a round that has just closed."""
    try:
        report_build_start(round=Round.objects.get(pk=round_id))
    except (Round.DoesNotExist, ValidationError):
        logger.warning("No final report started for round %s", round_id)


@transaction.atomic
def report_build_start(*, round: Round) -> ReportBuild:
    """Start building the round's report, or return the build already under way."""
    # Locking the round makes two clicks on "Build" start one build. NO KEY UPDATE: it
    # does not hold up respondents, whose new responses only need the round to exist.
    round = Round.objects.select_for_update(no_key=True).get(pk=round.pk)
    if round.status == RoundStatus.DRAFT:
        raise ValidationError(ROUND_NOT_LAUNCHED)
    active = ReportBuild.objects.filter(round=round, status__in=ACTIVE_BUILD_STATUSES).first()
    if active is not None:
        return active
    if report_is_provisional(round):
        new, counted = _new_responses(round)
        if counted is not None and not reaches(new, round.threshold):
            raise ValidationError(
                REPORT_UP_TO_DATE.format(counted=counted, threshold=round.threshold, new=new)
            )
    department_ids = [d.pk for d in round_departments(round)]
    build = ReportBuild.objects.create(
        round=round,
        provisional=report_is_provisional(round),
        parts_total=len(department_ids),
        with_workshops=_counts_workshops(round),
    )
    ReportPart.objects.bulk_create(
        ReportPart(build=build, department_id=department_id) for department_id in department_ids
    )
    transaction.on_commit(partial(_enqueue, build.pk))
    return build


def _enqueue(build_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from assessment.tasks.reports import report_build_queue

    report_build_queue(build_id)


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


def department_counts(*, round_id: int, department_id: int, with_workshops: bool = False) -> dict:
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


def _counts_workshops(round: Round) -> bool:
    """Whether the round's report counts the answers of some of its workshops."""
    return Workshop.objects.filter(round=round, count_in_round=True).exists()


def _counted_workshop_answers(round_id: int) -> QuerySet[WorkshopAnswer]:
    return WorkshopAnswer.objects.filter(
        workshop__round_id=round_id,
        workshop__count_in_round=True,
        question__instrument__roundinstrument__round_id=round_id,
    )


def workshop_counts(*, round_id: int, department_id: int) -> dict[str, list]:
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


def report_part_compute(*, part_id: int) -> ReportPart:
    """Count one department. A part already counted, or of a build that has ended, is
    left as it is: a redelivered task does nothing."""
    part = ReportPart.objects.select_related("build").get(pk=part_id)
    build = part.build
    if part.status == ReportPartStatus.DONE or build.status not in ACTIVE_BUILD_STATUSES:
        return part
    now = timezone.now()
    ReportBuild.objects.filter(pk=build.pk, status=ReportBuildStatus.QUEUED).update(
        status=ReportBuildStatus.RUNNING, started_at=now
    )
    counts = department_counts(
        round_id=build.round_id,
        department_id=part.department_id,
        with_workshops=build.with_workshops,
    )
    with transaction.atomic():
        # Two deliveries of one task may both get here; only the first counts the part.
        counted = ReportPart.objects.filter(pk=part.pk, status=ReportPartStatus.PENDING).update(
            status=ReportPartStatus.DONE, counts=counts, computed_at=timezone.now()
        )
        if counted:
            ReportBuild.objects.filter(pk=build.pk).update(
                parts_done=F("parts_done") + 1, progressed_at=timezone.now()
            )
    part.refresh_from_db()
    return part


@transaction.atomic
def report_build_fail(*, build_id: int, error: str) -> ReportBuild:
    """Record why a build stopped, where the page can show it. A build that already
    finished, or failed for an earlier reason, keeps its outcome."""
    build = ReportBuild.objects.select_for_update(of=("self",)).get(pk=build_id)
    if build.status in ACTIVE_BUILD_STATUSES:
        build.status = ReportBuildStatus.FAILED
        build.error = error
        build.finished_at = timezone.now()
        build.save(update_fields=["status", "error", "finished_at"])
    return build


def report_part_fail(*, part_id: int, error: str) -> ReportBuild:
    part = ReportPart.objects.select_related("department").get(pk=part_id)
    return report_build_fail(
        build_id=part.build_id,
        error=f"The department “{part.department.path}” could not be counted: {error}",
    )


def _pending_departments(build: ReportBuild) -> list[str]:
    return sorted(
        build.parts.exclude(status=ReportPartStatus.DONE).values_list("department__path", flat=True)
    )


@dataclass(frozen=True)
class LastVersion:
    """What the round's published version counted per department, and what its gate hid."""

    build_id: int | None = None
    provisional: bool = True
    counted: Mapping[int, dict] = field(default_factory=dict)
    decisions: Mapping[str, Any] = field(default_factory=dict)
    held_back: int = 0

    @property
    def exists(self) -> bool:
        return self.build_id is not None


def report_last_version(round_id: int) -> LastVersion:
    """The round's published version (an empty one when it has none)."""
    current = (
        ReportSnapshot.objects.filter(round_id=round_id)
        .values_list("build_id", "provisional", "decisions", "data__held_back")
        .first()
    )
    if current is None:
        return LastVersion()
    build_id, provisional, decisions, held = current
    counted = dict(
        ReportPart.objects.filter(build_id=build_id).values_list("department_id", "published")
    )
    return LastVersion(build_id, provisional, counted, decisions or {}, held or 0)


def _versions(
    build: ReportBuild, parts: list[ReportPart], questions: list, last: LastVersion
) -> dict:
    """What this version counts per department: it moves on from the published version in
    steps (everything verified, for the round's first version)."""
    multi = {q.id for q in questions if q.is_multi}
    round = build.round
    return {
        p.department_id: next_version(
            p.counts,
            last.counted.get(p.department_id) if last.exists else None,
            threshold=round.threshold,
            comment_threshold=round.comment_threshold,
            multi=multi,
        )
        for p in parts
    }


@dataclass(frozen=True)
class BuiltReport:
    data: dict
    # What the report counted for each department, and the part it came from.
    counted: dict[int, dict]
    parts: list[ReportPart]
    # The responses the build saw, which its version may not all count.
    seen: int
    # Which groups the gate hid, for each kind of figure.
    decisions: dict[str, list[str]]


def report_data(
    build: ReportBuild, built_at: datetime.datetime, last: LastVersion | None = None
) -> BuiltReport:
    """The snapshot's JSON from a build's parts (docs/report-json.md), moving on from the
    round's `last` published version when there is one."""
    round = build.round
    last = last or LastVersion()
    # The build has a part for each of the round's departments (see report_build_start).
    parts_with_departments = list(build.parts.all())
    tree = {d.pk: d for d in round_departments(round)}
    departments = [
        DepartmentInfo(id=d.pk, parent_id=d.parent_id, path=d.path) for d in tree.values()
    ]
    levels = [LevelInfo(id=lv.pk, name=lv.name, kind=lv.kind) for lv in round_levels(round)]
    questions = report_questions(round)
    counted = _versions(build, parts_with_departments, questions, last)
    parts = {department: Counts.from_part(version) for department, version in counted.items()}
    previous = report_previous_snapshot(round)
    assembly = ReportAssembly(
        departments=departments,
        levels=levels,
        questions=questions,
        parts=parts,
        threshold=round.threshold,
        comment_threshold=round.comment_threshold,
        previous=previous.data if previous else None,
        last=(
            {d: Counts.from_part(version) for d, version in last.counted.items()}
            if last.exists
            else None
        ),
        last_decisions=last.decisions if last.exists else None,
    )
    held = sum(held_back(p.counts, counted[p.department_id]) for p in parts_with_departments)
    data = {
        "schema": REPORT_SCHEMA,
        "round": {
            "id": round.pk,
            "name": round.name,
            "organisation": round.organisation.slug,
            "opens_at": round.opens_at.isoformat(),
            "closes_at": round.closes_at.isoformat(),
        },
        "provisional": build.provisional,
        "built_at": built_at.isoformat(),
        "responses": sum(c.responded.total() for c in parts.values()),
        "held_back": held,
        "threshold": round.threshold,
        "comment_threshold": round.comment_threshold,
        "levels": [{"name": lv.name, "kind": lv.kind} for lv in levels],
        "questions": [question_json(q) for q in questions],
        "previous_round": (
            None
            if previous is None
            else {
                "id": previous.round_id,
                "name": previous.round.name,
                "provisional": previous.provisional,
                "built_at": previous.built_at.isoformat(),
            }
        ),
        **assembly.report(),
    }
    seen = sum(n for p in parts_with_departments for _level, n in p.counts.get("responded", []))
    return BuiltReport(
        data=data,
        counted=counted,
        parts=parts_with_departments,
        seen=seen,
        decisions=assembly.decisions,
    )


def _publish(
    build: ReportBuild, built: BuiltReport, current: int | None, now: datetime.datetime
) -> None:
    """Make the build's report the round's snapshot, in place of the `current` build's,
    and keep what its version counted and hid, for the next version to move on from."""
    fields = {
        "build": build,
        "schema": REPORT_SCHEMA,
        "provisional": build.provisional,
        "built_at": now,
        "response_count": built.data["responses"],
        "data": built.data,
        "decisions": built.decisions,
    }
    if current is None:
        ReportSnapshot.objects.create(round_id=build.round_id, **fields)
    else:
        ReportSnapshot.objects.filter(round_id=build.round_id).update(**fields)
        ReportPart.objects.filter(build_id=current).update(published={})
    for part in built.parts:
        part.published = built.counted[part.department_id]
    ReportPart.objects.bulk_update(built.parts, ["published"])


@transaction.atomic
def report_build_merge(*, build_id: int) -> ReportBuild:
    """Put the report together from the parts and publish it, replacing the round's
    previous snapshot in the same transaction. Does nothing to a build that has ended,
    nor while a part is still pending (the reconciler comes back to it)."""
    # A redelivered merge, or the reconciler, waits here and then finds the build done.
    build = (
        ReportBuild.objects.select_for_update(of=("self",))
        .select_related("round__organisation")
        .get(pk=build_id)
    )
    if build.status not in ACTIVE_BUILD_STATUSES:
        return build
    pending = _pending_departments(build)
    if pending:
        logger.warning(
            "Report build %s: merge called with %d parts pending", build.pk, len(pending)
        )
        return build
    now = timezone.now()
    # Publishers of one round take turns, and an older build never replaces a newer one.
    Round.objects.select_for_update(no_key=True).only("pk").get(pk=build.round_id)
    last = report_last_version(build.round_id)
    built = report_data(build, now, last=last)
    # A version that counts just what the published one counts, and is as provisional,
    # leaves it as it was, down to when it was built: two copies of one version are not
    # two versions. A final one that holds back a different number of late answers is
    # published, so that the report says how many.
    unchanged = (
        last.exists
        and last.provisional == build.provisional
        and (build.provisional or last.held_back == built.data["held_back"])
        and same_version(built.counted, last.counted)
    )
    if (not last.exists or last.build_id < build.pk) and not unchanged:
        _publish(build, built, last.build_id, now)
    build.status = ReportBuildStatus.DONE
    # An open round is built again only once at least the threshold more responses have
    # come in since this build (_new_responses), whatever its version counts.
    build.response_count = built.seen
    build.parts_done = build.parts_total
    build.finished_at = now
    build.progressed_at = now
    build.save(
        update_fields=["status", "response_count", "parts_done", "finished_at", "progressed_at"]
    )
    # The raw counts (free text among them) have served their purpose: from now on only
    # the snapshot, which holds what may be shown, keeps them (and, while the round is
    # open, what its version counted, for the next version to move on from).
    build.parts.update(counts={})
    return build


def report_builds_reconcile(
    *,
    requeue_after: datetime.timedelta = REQUEUE_AFTER,
    stale_after: datetime.timedelta = STALE_AFTER,
) -> list[ReportBuild]:
    """Move on the builds that stopped moving: a lost message, a chord whose merge never
    came. Merges those whose departments are all counted; queues the missing departments
    again for a while; then fails the build, naming the departments still missing. A
    requeue does not count as progress, so no build stays active past `stale_after`."""
    now = timezone.now()
    stopped = ReportBuild.objects.filter(
        status__in=ACTIVE_BUILD_STATUSES, progressed_at__lt=now - requeue_after
    ).values_list("pk", flat=True)
    outcome = []
    for build_id in list(stopped):
        build = ReportBuild.objects.get(pk=build_id)
        pending = _pending_departments(build)
        if not pending:
            build = report_build_merge(build_id=build_id)
        elif build.progressed_at < now - stale_after:
            minutes = int(stale_after.total_seconds() // 60)
            build = report_build_fail(
                build_id=build_id,
                error=f"Nothing moved for {minutes} minutes; departments not counted: "
                + ", ".join(f"“{path}”" for path in pending),
            )
        else:
            from assessment.tasks.reports import report_build_enqueue

            logger.warning(
                "Report build %s has not moved since %s; queuing %d departments again",
                build_id,
                build.progressed_at.isoformat(),
                len(pending),
            )
            report_build_enqueue(build_id, report_pending_part_ids(build_id=build_id))
        outcome.append(build)
    return outcome
