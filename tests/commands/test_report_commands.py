"""build_report and export_report, run as an operator would, with tasks in-process."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessment.models import Level, LevelKind, ReportBuild, ReportSnapshot, RoundStatus
from assessment.services import reports as report_services
from assessment.services.reports import ROUND_NOT_LAUNCHED
from tests.support.factories import DepartmentFactory
from tests.support.report_data import (
    Respondent,
    make_round,
    two_departments_answering,
    write_responses,
)
from tests.support.report_pages import pdf_text

# The command waits for the build row to change, so the build must really commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round_with_answers(organisation, instruments):
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    write_responses(
        round_,
        [Respondent(department=sales, level=front, answers={"checklist-01": 1}) for _ in range(6)],
        not_responded=[(support, front, 2)],
    )
    return round_


def test_build_report_builds_the_report_and_prints_its_progress(round_with_answers):
    out = StringIO()

    call_command("build_report", str(round_with_answers.pk), stdout=out)

    build = ReportBuild.objects.get(round=round_with_answers)
    assert out.getvalue().splitlines() == [
        f"Building the report of “Spring round” (build #{build.pk}).",
        "  2/2 departments counted (100%)",
        "Published the final report from 6 responses.",
    ]
    assert ReportSnapshot.objects.get(round=round_with_answers).build == build


def test_build_report_says_when_an_open_rounds_report_stays_as_it_was(organisation, instruments):
    round_, answer = two_departments_answering(organisation, instruments, ("Sa", "Su"))
    answer(6, 6)
    call_command("build_report", str(round_.pk), stdout=StringIO())
    published = ReportSnapshot.objects.get(round=round_).build
    # Five more, but three in one department and two in the other.
    answer(3, 2)
    out = StringIO()

    call_command("build_report", str(round_.pk), stdout=out)

    assert out.getvalue().splitlines()[-1] == (
        "Counted 17 responses; no group has 5 new people yet, so the report stays as it was."
    )
    assert ReportSnapshot.objects.get(round=round_).build == published


def test_build_report_names_the_department_that_failed(round_with_answers, monkeypatch):
    def broken(*, round_id: int, department_id: int, **options) -> dict:
        raise ValueError("no space left on device")

    monkeypatch.setattr(report_services, "department_counts", broken)

    with pytest.raises(CommandError) as failed:
        call_command("build_report", str(round_with_answers.pk), stdout=StringIO())

    assert str(failed.value) == (
        "The build failed. The department “Sales” could not be counted: "
        "ValueError: no space left on device"
    )
    assert not ReportSnapshot.objects.exists()


def test_build_report_refuses_an_unknown_round_and_a_draft_one(round_with_answers):
    with pytest.raises(CommandError) as unknown:
        call_command("build_report", "999999", stdout=StringIO())
    round_with_answers.status = RoundStatus.DRAFT
    round_with_answers.save(update_fields=["status"])
    with pytest.raises(CommandError) as draft:
        call_command("build_report", str(round_with_answers.pk), stdout=StringIO())

    assert str(unknown.value) == "There is no round #999999."
    assert str(draft.value) == ROUND_NOT_LAUNCHED
    assert not ReportBuild.objects.exists()


def test_export_report_writes_the_published_report_as_json(round_with_answers, tmp_path):
    call_command("build_report", str(round_with_answers.pk), stdout=StringIO())
    target = tmp_path / "report.json"
    out = StringIO()

    call_command(
        "export_report",
        str(round_with_answers.pk),
        "--format",
        "json",
        "--output",
        str(target),
        stdout=out,
    )

    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported == ReportSnapshot.objects.get(round=round_with_answers).data
    assert exported["schema"] == 1
    assert exported["organisation"]["questions"]["checklist-01"]["score"] == 100.0
    assert out.getvalue() == (f"Wrote the final report of “Spring round” to {target} (json).\n")
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_export_report_refuses_a_round_without_a_report_and_writes_nothing(
    round_with_answers, tmp_path
):
    target = tmp_path / "report.json"

    with pytest.raises(CommandError) as refused:
        call_command(
            "export_report", str(round_with_answers.pk), "--output", str(target), stdout=StringIO()
        )

    assert str(refused.value) == (
        f"Round #{round_with_answers.pk} has no report yet: build it with "
        f"`manage.py build_report {round_with_answers.pk}`."
    )
    assert list(tmp_path.iterdir()) == []


def test_export_report_writes_the_spreadsheet_and_the_printable_report(
    round_with_answers, tmp_path
):
    call_command("build_report", str(round_with_answers.pk), stdout=StringIO())

    for export_format in ("xlsx", "pdf"):
        target = tmp_path / f"report.{export_format}"
        call_command(
            "export_report",
            str(round_with_answers.pk),
            "--format",
            export_format,
            "--output",
            str(target),
            stdout=StringIO(),
        )

    assert load_workbook(tmp_path / "report.xlsx").sheetnames == [
        "Overview",
        "Participation",
        "Gap",
        "Heatmap",
        "Questions by department",
        "Questions by level",
        "Comments",
        "Words",
        "Commitments",
    ]
    text = pdf_text((tmp_path / "report.pdf").read_bytes())
    assert "Culture report" in text
    assert "Spring round" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "report.xlsx"]


def test_export_report_refuses_a_format_it_does_not_know(round_with_answers, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command(
            "export_report",
            str(round_with_answers.pk),
            "--format",
            "docx",
            "--output",
            str(tmp_path / "report.docx"),
        )

    # argparse's wording of the choices varies between Python versions.
    assert str(refused.value).startswith("Error: argument --format: invalid choice: 'docx'")
    assert list(tmp_path.iterdir()) == []
