"""The life of a report build row, in-process: provisional or final, progress and counts,
starting twice, counting and merging twice, publishing a rebuild, readers during a rebuild,
failing departments, dropped connections and the reconciler."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from assessment.models import (
    LevelKind,
    ReportBuild,
    ReportBuildStatus,
    ReportPart,
    ReportPartStatus,
    ReportSnapshot,
    RoundStatus,
)
from assessment.services import reports as report_services
from assessment.services.reports import (
    ROUND_NOT_LAUNCHED,
    report_build_merge,
    report_build_start,
    report_builds_reconcile,
    report_part_compute,
)
from tests.conftest import snapshot_of
from tests.support.factories import DepartmentFactory
from tests.support.report_data import make_round, people, write_responses

pytestmark = pytest.mark.django_db


def test_a_report_built_while_the_round_is_open_is_provisional_and_after_it_closes_final(
    organisation, instruments, levels, build
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    open_round = make_round(organisation, instruments, closed=False, name="Open")
    closed_round = make_round(organisation, instruments, name="Closed")
    past_closing = make_round(organisation, instruments, closed=False, name="Past closing")
    past_closing.status = RoundStatus.LAUNCHED
    past_closing.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    past_closing.save(update_fields=["status", "closes_at"])
    for round_ in (open_round, closed_round, past_closing):
        write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5))

    built = {r.name: build(r) for r in (open_round, closed_round, past_closing)}

    assert built["Open"].provisional is True
    assert snapshot_of(open_round)["provisional"] is True
    assert ReportSnapshot.objects.get(round=open_round).provisional is True
    assert built["Closed"].provisional is False
    assert snapshot_of(closed_round)["provisional"] is False
    assert built["Past closing"].provisional is False


def test_a_finished_build_records_its_progress_and_how_many_responses_it_counted(
    organisation, instruments, levels, build
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 7), not_responded=[(support, front, 2)])

    done = build(round_)
    snapshot = ReportSnapshot.objects.get(round=round_)

    assert done.status == ReportBuildStatus.DONE
    assert (done.parts_done, done.parts_total, done.progress) == (2, 2, 100)
    assert done.response_count == 7
    assert done.finished_at is not None
    assert snapshot.build == done
    assert snapshot.response_count == 7
    assert snapshot.data["responses"] == 7
    assert snapshot.data["schema"] == 1
    assert snapshot.built_at.isoformat() == snapshot.data["built_at"]
    # The raw counts go once the snapshot holds what may be shown.
    assert list(ReportPart.objects.filter(build=done).values_list("counts", flat=True)) == [{}, {}]


def test_a_draft_round_has_no_report_to_build(organisation, instruments):
    round_ = make_round(organisation, instruments)
    round_.status = RoundStatus.DRAFT
    round_.save(update_fields=["status"])

    with pytest.raises(ValidationError) as refused:
        report_build_start(round_=round_)

    assert refused.value.messages == [ROUND_NOT_LAUNCHED]
    assert ReportBuild.objects.count() == 0


def test_starting_twice_while_a_build_is_under_way_gives_the_same_build(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, [], not_responded=[(sales, levels[LevelKind.FRONT_LINE], 1)])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = report_build_start(round_=round_)
        second = report_build_start(round_=round_)

    assert first == second
    assert len(queued) == 1
    assert ReportBuild.objects.count() == 1
    assert ReportPart.objects.filter(build=first).count() == 1


def test_counting_a_department_twice_and_merging_twice_changes_nothing(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5, checklist_01=[1] * 5))
    with django_capture_on_commit_callbacks(execute=False):
        started = report_build_start(round_=round_)
    part = ReportPart.objects.get(build=started)

    report_part_compute(part_id=part.pk)
    counts = ReportPart.objects.get(pk=part.pk).counts
    report_part_compute(part_id=part.pk)
    started.refresh_from_db()

    assert started.parts_done == 1
    assert started.status == ReportBuildStatus.RUNNING
    assert ReportPart.objects.get(pk=part.pk).counts == counts

    report_build_merge(build_id=started.pk)
    first = ReportSnapshot.objects.get(round=round_)
    report_build_merge(build_id=started.pk)
    again = ReportSnapshot.objects.get(round=round_)

    assert (again.pk, again.built_at, again.data) == (first.pk, first.built_at, first.data)


def test_the_merge_does_nothing_while_a_department_is_still_pending(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5), not_responded=[(support, front, 1)])
    with django_capture_on_commit_callbacks(execute=False):
        started = report_build_start(round_=round_)
    report_part_compute(part_id=ReportPart.objects.get(build=started, department=sales).pk)

    report_build_merge(build_id=started.pk)
    started.refresh_from_db()

    assert started.status == ReportBuildStatus.RUNNING
    assert (started.parts_done, started.progress) == (1, 50)
    assert not ReportSnapshot.objects.filter(round=round_).exists()


def test_a_rebuild_replaces_the_snapshot_only_when_it_is_published(
    organisation, instruments, levels, build, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments, closed=False)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5, checklist_01=[1] * 5))
    first = build(round_)
    write_responses(round_, people(sales, front, 5, checklist_01=[3] * 5))

    with django_capture_on_commit_callbacks(execute=False):
        second = report_build_start(round_=round_)
    for part in ReportPart.objects.filter(build=second):
        report_part_compute(part_id=part.pk)

    # Every department is counted, but until the merge the old report is the report.
    old = ReportSnapshot.objects.get(round=round_)
    assert (old.build, old.response_count) == (first, 5)
    assert old.data["organisation"]["questions"]["checklist-01"]["score"] == 100.0

    report_build_merge(build_id=second.pk)

    new = ReportSnapshot.objects.get(round=round_)
    assert (new.pk, new.build, new.response_count) == (old.pk, second, 10)
    assert new.data["organisation"]["questions"]["checklist-01"]["score"] == 50.0
    assert ReportSnapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_readers_see_the_old_report_until_the_new_one_is_committed_whole(
    organisation, instruments, levels
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5, checklist_01=[1] * 5))
    report_build_start(round_=round_)  # runs in-process on commit
    write_responses(round_, people(sales, front, 5, checklist_01=[3] * 5))
    # A second build, counted but not merged: the merge runs in another thread.
    second = ReportBuild.objects.create(round=round_, provisional=False, parts_total=1)
    part = ReportPart.objects.create(build=second, department=sales)
    report_part_compute(part_id=part.pk)
    merged, finish = threading.Event(), threading.Event()

    def merge_and_hold() -> None:
        try:
            with transaction.atomic():
                report_build_merge(build_id=second.pk)
                merged.set()
                finish.wait(timeout=10)
        finally:
            connection.close()

    merger = threading.Thread(target=merge_and_hold)
    merger.start()
    assert merged.wait(timeout=10)
    during = ReportSnapshot.objects.get(round=round_)
    finish.set()
    merger.join()
    after = ReportSnapshot.objects.get(round=round_)

    assert during.response_count == 5
    assert during.data["responses"] == 5
    assert during.data["organisation"]["questions"]["checklist-01"]["score"] == 100.0
    assert after.response_count == 10
    assert after.data["organisation"]["questions"]["checklist-01"]["score"] == 50.0


def test_a_department_that_cannot_be_counted_fails_the_build_naming_it(
    organisation, instruments, levels, build, monkeypatch
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    legal = DepartmentFactory(organisation=organisation, name="Legal", parent=operations)
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5), not_responded=[(legal, front, 1)])
    count = report_services.department_counts

    def broken(*, round_id: int, department_id: int, **options) -> dict:
        if department_id == legal.pk:
            raise ValueError("a row that makes no sense")
        return count(round_id=round_id, department_id=department_id, **options)

    monkeypatch.setattr(report_services, "department_counts", broken)

    failed = build(round_)

    assert failed.status == ReportBuildStatus.FAILED
    assert failed.error == (
        "The department “Operations/Legal” could not be counted: "
        "ValueError: a row that makes no sense"
    )
    assert failed.finished_at is not None
    assert not ReportSnapshot.objects.filter(round=round_).exists()


def test_a_dropped_database_connection_is_retried_and_the_build_finishes(
    organisation, instruments, levels, build, monkeypatch
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5))
    count = report_services.department_counts
    calls: list[int] = []

    def flaky(*, round_id: int, department_id: int, **options) -> dict:
        calls.append(department_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return count(round_id=round_id, department_id=department_id, **options)

    monkeypatch.setattr(report_services, "department_counts", flaky)

    done = build(round_)

    assert done.status == ReportBuildStatus.DONE
    assert calls == [sales.pk, sales.pk]
    assert done.error == ""


def test_the_reconciler_merges_a_stalled_build_whose_departments_are_all_counted(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5))
    with django_capture_on_commit_callbacks(execute=False):
        stalled = report_build_start(round_=round_)
    report_part_compute(part_id=ReportPart.objects.get(build=stalled).pk)
    ReportBuild.objects.filter(pk=stalled.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(hours=1)
    )

    outcome = report_builds_reconcile()
    stalled.refresh_from_db()

    assert outcome == [stalled]
    assert stalled.status == ReportBuildStatus.DONE
    assert ReportSnapshot.objects.get(round=round_).build == stalled


def test_the_reconciler_fails_a_stalled_build_naming_the_departments_never_counted(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    legal = DepartmentFactory(organisation=organisation, name="Legal")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    everyone = [(sales, front, 1), (support, front, 1), (legal, front, 1)]
    write_responses(round_, [], not_responded=everyone)
    with django_capture_on_commit_callbacks(execute=False):
        stalled = report_build_start(round_=round_)
        fresh_round = make_round(organisation, instruments, name="Fresh")
        fresh = report_build_start(round_=fresh_round)
    report_part_compute(part_id=ReportPart.objects.get(build=stalled, department=sales).pk)
    ReportBuild.objects.filter(pk=stalled.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(minutes=31)
    )

    outcome = report_builds_reconcile()
    stalled.refresh_from_db()
    fresh.refresh_from_db()

    assert outcome == [stalled]
    assert stalled.status == ReportBuildStatus.FAILED
    assert stalled.error == (
        "Nothing moved for 30 minutes; departments not counted: “Legal”, “Support”"
    )
    assert fresh.status == ReportBuildStatus.QUEUED
    assert ReportPart.objects.filter(build=stalled, status=ReportPartStatus.DONE).count() == 1
