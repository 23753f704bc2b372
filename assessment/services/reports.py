"""Building the culture report.

A build is a row with a status. Starting one creates a part per department and, once
committed, queues a task per part and a merge after them (a Celery chord). Each part
counts its department's direct members in the database; the merge rolls the parts up the
department tree, passes everything through the anonymity gate and publishes the snapshot
in one transaction. Every step may run twice: what is done is never done again.

This module is the build's life cycle (start, count a part, merge, fail, reconcile). The
counting reads are in assessment/selectors/report_counts.py, the next version and its
publishing in report_versions.py, handing a build to the workers in report_dispatch.py.
"""

import datetime
import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessment.anonymity import reaches
from assessment.models import (
    ReportBuild,
    ReportBuildStatus,
    ReportPart,
    ReportPartStatus,
    Round,
    RoundStatus,
)
from assessment.models.reports import ACTIVE_BUILD_STATUSES
from assessment.selectors.report_counts import (
    department_counts,
    report_counts_workshops,
    report_last_version,
    report_new_responses,
    report_pending_departments,
)
from assessment.selectors.round_shape import round_departments

from .report_dispatch import report_build_dispatch, report_build_requeue
from .report_versions import report_data, report_version_publish, report_version_unchanged

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


def report_is_provisional(round_: Round) -> bool:
    """Whether answers may still arrive: then the report is provisional."""
    return not round_.has_ended


def reports_refresh_due() -> list[ReportBuild]:
    """Rebuild the provisional report of every open round once at least its threshold of
    new responses has come in (responses are saved without touching the broker; this
    periodic check is what turns them into a report)."""
    started = []
    now = timezone.now()
    rounds = Round.objects.filter(status=RoundStatus.LAUNCHED, opens_at__lte=now, closes_at__gt=now)
    for round_ in rounds.exclude(report_builds__status__in=ACTIVE_BUILD_STATUSES):
        new, _ = report_new_responses(round_)
        if reaches(new, round_.threshold):
            try:
                started.append(report_build_start(round_=round_))
            except ValidationError:
                continue  # answered meanwhile by a parallel run
    return started


def report_build_final(*, round_id: int) -> None:
    """The final report of a round that has just closed."""
    try:
        report_build_start(round_=Round.objects.get(pk=round_id))
    except (Round.DoesNotExist, ValidationError):
        logger.warning("No final report started for round %s", round_id)


@transaction.atomic
def report_build_start(*, round_: Round) -> ReportBuild:
    """Start building the round's report, or return the build already under way."""
    # Locking the round makes two clicks on "Build" start one build. NO KEY UPDATE: it
    # does not hold up respondents, whose new responses only need the round to exist.
    round_ = Round.objects.select_for_update(no_key=True).get(pk=round_.pk)
    if round_.status == RoundStatus.DRAFT:
        raise ValidationError(ROUND_NOT_LAUNCHED)
    active = ReportBuild.objects.filter(round=round_, status__in=ACTIVE_BUILD_STATUSES).first()
    if active is not None:
        return active
    if report_is_provisional(round_):
        new, counted = report_new_responses(round_)
        if counted is not None and not reaches(new, round_.threshold):
            raise ValidationError(
                REPORT_UP_TO_DATE.format(counted=counted, threshold=round_.threshold, new=new)
            )
    department_ids = [d.pk for d in round_departments(round_)]
    build = ReportBuild.objects.create(
        round=round_,
        provisional=report_is_provisional(round_),
        parts_total=len(department_ids),
        with_workshops=report_counts_workshops(round_),
    )
    ReportPart.objects.bulk_create(
        ReportPart(build=build, department_id=department_id) for department_id in department_ids
    )
    transaction.on_commit(partial(report_build_dispatch, build.pk))
    return build


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
    pending = report_pending_departments(build)
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
    # An unchanged version leaves the published one as it was, down to when it was built.
    newer = last.build_id is None or last.build_id < build.pk
    if newer and not report_version_unchanged(build, built, last):
        report_version_publish(build, built, last.build_id, now)
    build.status = ReportBuildStatus.DONE
    # An open round is built again only once at least the threshold more responses have
    # come in since this build (report_new_responses), whatever its version counts.
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
        pending = report_pending_departments(build)
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
            logger.warning(
                "Report build %s has not moved since %s; queuing %d departments again",
                build_id,
                build.progressed_at.isoformat(),
                len(pending),
            )
            report_build_requeue(build_id)
        outcome.append(build)
    return outcome
