"""What moving a round's report on cell by cell costs (assessment/anonymity/steps.py):
`report_data` for the generated round as its first version, and as a version that moves on
from the published one (the gate deciding with that one in view), and `next_version` alone
for every department, 5 runs each, in this process. Run bench/report.py first: it leaves
the round with a published version.
The parts' raw counts, emptied after every merge, are put back from that version inside a
transaction that is rolled back."""

import time

from environment import configure, median


def main() -> None:
    configure()
    from django.db import transaction
    from django.utils import timezone

    from assessment.anonymity.steps import TEXT_RESPONDED, next_version
    from assessment.models import ReportSnapshot
    from assessment.selectors.report_counts import report_last_version
    from assessment.selectors.reports import report_questions
    from assessment.services.report_versions import report_data

    build = ReportSnapshot.objects.select_related("build__round").get().build
    first, moving_on, alone = [], [], []
    last = report_last_version(build.round_id)
    multi = {q.id for q in report_questions(build.round) if q.is_multi}
    with transaction.atomic():
        for part in build.parts.all():
            part.counts = {k: v for k, v in part.published.items() if k != TEXT_RESPONDED}
            part.save(update_fields=["counts"])
        parts = list(build.parts.all())
        for _ in range(5):
            began = time.perf_counter()
            report_data(build, timezone.now(), last=None)
            first.append(time.perf_counter() - began)
            began = time.perf_counter()
            report_data(build, timezone.now(), last=last)
            moving_on.append(time.perf_counter() - began)
            began = time.perf_counter()
            for part in parts:
                next_version(
                    part.counts,
                    last.counted[part.department_id],
                    threshold=build.round.threshold,
                    comment_threshold=build.round.comment_threshold,
                    multi=multi,
                )
            alone.append(time.perf_counter() - began)
        transaction.set_rollback(True)
    for name, runs in (
        ("report_data, first version", first),
        ("report_data, moving on from the published version", moving_on),
        ("next_version for every department", alone),
    ):
        print(f"{name}: {median(runs):.3f} s (median of 5: {runs_text(runs)})")


def runs_text(runs: list[float]) -> str:
    return ", ".join(f"{run:.3f}" for run in runs)


if __name__ == "__main__":
    main()
