"""The culture report built by a real Celery worker on Redis against PostgreSQL, checked
number by number against a recount written in plain Python over the rows the test
generated (tests/support/report_recount.py)."""

import time
from io import StringIO

import pytest
from django.core.management import call_command

from assessment.models import (
    Level,
    LevelKind,
    ReportBuild,
    ReportBuildStatus,
    ReportSnapshot,
)
from assessment.services.reports import report_build_start
from tests.fixtures.worker import wait_for
from tests.support.factories import DepartmentFactory
from tests.support.report_checks import SUPPRESSED
from tests.support.report_data import Respondent, make_round, write_responses
from tests.support.report_recount import ORGANISATION, check_against_recount, generate_round

pytestmark = pytest.mark.worker


def test_a_report_built_by_real_workers_matches_an_independent_recount_of_every_number(
    celery_worker, organisation, instruments
):
    started = time.monotonic()
    generated = generate_round(organisation, instruments)
    written = time.monotonic() - started

    build = report_build_start(round_=generated.round)
    seen: list[int] = []

    def finished() -> ReportBuild | None:
        row = ReportBuild.objects.get(pk=build.pk)
        seen.append(row.parts_done)
        return row if row.status in (ReportBuildStatus.DONE, ReportBuildStatus.FAILED) else None

    started = time.monotonic()
    done = wait_for(finished, timeout=120, interval=0.05, what="the report build")
    built = time.monotonic() - started
    assert done.status == ReportBuildStatus.DONE, f"{done.error}\n{celery_worker.log()[-3000:]}"
    assert seen == sorted(seen)
    assert (done.parts_done, done.parts_total) == (len(ORGANISATION), len(ORGANISATION))
    data = ReportSnapshot.objects.get(round=generated.round).data
    print(
        f"\n{len(generated.crowd)} responses written in {written:.1f}s, "
        f"built by the worker in {built:.1f}s"
    )

    checked = check_against_recount(data, generated)

    assert data["responses"] == done.response_count
    assert data["provisional"] is False
    assert data["previous_round"] is None
    assert data["departments"]["Legal"] == SUPPRESSED
    assert data["departments"]["Operations/Yard"] == SUPPRESSED
    contact = data["departments"]["Customer Service/Contact Centre"]
    assert contact["questions"]["trust-01"] == SUPPRESSED
    assert contact["questions"]["checklist-01"]["n"] > 600
    shown = [p for p, v in data["departments"].items() if v != SUPPRESSED]
    assert len(shown) >= 7, shown
    assert checked["groups"] > 60
    # The data exercises every part of the report.
    executive = generated.levels[LevelKind.EXECUTIVE].name
    assert data["organisation"]["gap"]
    assert data["organisation"]["words"]
    assert any(
        v != SUPPRESSED and v["comments"] != SUPPRESSED for v in data["departments"].values()
    )
    assert any(
        v != SUPPRESSED and v["levels"][executive] != SUPPRESSED
        for v in data["departments"].values()
    )


def test_build_report_queues_the_build_to_the_workers_and_waits_for_it(
    celery_worker, organisation, instruments
):
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    crowd = []
    for name in ("Sales", "Support", "Finance"):
        department = DepartmentFactory(organisation=organisation, name=name)
        crowd += [
            Respondent(department=department, level=front, answers={"checklist-01": 1})
            for _ in range(5)
        ]
    round_ = make_round(organisation, instruments)
    write_responses(round_, crowd)
    out = StringIO()

    call_command("build_report", str(round_.pk), "--interval", "0.05", stdout=out)

    lines = out.getvalue().splitlines()
    build = ReportBuild.objects.get(round=round_)
    assert lines[0] == f"Building the report of “Spring round” (build #{build.pk})."
    assert lines[-2:] == [
        "  3/3 departments counted (100%)",
        "Published the final report from 15 responses.",
    ]
    progress = [int(line.split("/")[0]) for line in lines[1:-1]]
    assert progress == sorted(set(progress))
    assert "report_merge_task" in celery_worker.log()
    assert ReportSnapshot.objects.get(round=round_).data["responses"] == 15
