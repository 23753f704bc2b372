"""`manage.py import_roster FILE --org SLUG [--dry-run] [--confirm-deactivation]`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment.management.commands.import_roster import (
    CONFIRM_WITH_OPTION,
    DRY_RUN,
    IMPORTED,
    NEW_LEVEL,
    NEW_LEVEL_WITH_OPTION,
    NOTHING_IMPORTED,
    SUMMARY,
    UNKNOWN_ORGANISATION,
)
from assessment.management.commands.import_roster import Command as ImportRoster
from assessment.models import Department, Level, LevelKind, Person
from assessment.services.roster_import.messages import (
    INVALID_EMAIL,
    LEVEL_KINDS_MISSING,
    MASS_DEACTIVATION,
    MISSING_VALUE,
)
from tests.conftest import level
from tests.support.factories import DepartmentFactory, PersonFactory
from tests.support.roster_files import csv_file, xlsx_file

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def summary(added=0, changed=0, reactivated=0, deactivated=0, departments=0, unchanged=0):
    return SUMMARY.format(
        added=added,
        changed=changed,
        reactivated=reactivated,
        deactivated=deactivated,
        departments=departments,
        unchanged=unchanged,
    )


def five_in_sales(organisation) -> None:
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    for n in range(5):
        PersonFactory(
            organisation=organisation,
            name=f"Person {n}",
            email=f"p{n}@example.com",
            department=sales,
            level=level(organisation, LevelKind.FRONT_LINE),
        )


def test_the_command_prints_what_it_does_and_imports(organisation, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_file(
            ("Ann Archer", "ann@example.com", "Operations/Logistics", "Manager"),
            ("Bob Baker", "bob@example.com", "Sales", "Front line"),
        )
    )

    out, err = run(str(path), "--org", "acme")

    assert out.splitlines() == [
        "roster.csv for Acme Outfitters:",
        summary(added=2, departments=3),
        IMPORTED.format(added=2, changed=0, reactivated=0, deactivated=0, departments=3),
    ]
    assert err == ""
    assert Person.objects.filter(organisation=organisation).count() == 2
    assert Department.objects.filter(organisation=organisation).count() == 3


def test_the_command_reads_xlsx_and_lists_each_change_when_verbose(organisation, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_file(("Ann Archer", "ann@example.com", "Sales", "Manager")))

    out, _ = run(str(path), "--org", "acme", "--verbosity", "2")

    assert "  new department  Sales" in out.splitlines()
    assert "  add         line 2: Ann Archer <ann@example.com>, Sales, Manager" in out.splitlines()
    assert Person.objects.filter(organisation=organisation).count() == 1


def test_the_command_prints_every_error_with_its_line_and_fails_writing_nothing(
    organisation, tmp_path
):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_file(
            ("Ann Archer", "ann@example.com", "Sales", "Manager"),
            ("Bob Baker", "", "Sales", "Manager"),
            ("Cy Cole", "cy.example.com", "Sales", "Intern"),
        )
    )

    with pytest.raises(CommandError) as failed:
        run(str(path), "--org", "acme", "--new-level", "Intern=front_line")

    # Intern, a level to create, is no problem; the two bad lines are.
    assert str(failed.value) == NOTHING_IMPORTED.format(count=2, filename="roster.csv")
    assert failed.value.returncode == 1
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0
    assert not Level.objects.filter(name="Intern").exists()


def test_the_errors_go_to_stderr_one_line_each(organisation, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_file(
            ("Bob Baker", "", "Sales", "Manager"),
            ("Cy Cole", "cy.example.com", "Sales", "Intern"),
        )
    )
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_roster", str(path), org="acme", stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        f"Line 2: {MISSING_VALUE.format(column='e-mail address')}",
        f"Line 3: {INVALID_EMAIL.format(value='cy.example.com')}",
    ]


def test_a_dry_run_prints_the_summary_and_writes_nothing(organisation, tmp_path):
    five_in_sales(organisation)
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_file(
            ("Person 0", "p0@example.com", "Sales", "Manager"),
            *((f"Person {n}", f"p{n}@example.com", "Sales", "Front line") for n in range(1, 4)),
            ("Ann Archer", "ann@example.com", "Sales/North", "Manager"),
        )
    )
    before = list(Person.objects.values_list("email", "level__name", "is_active"))

    out, _ = run(str(path), "--org", "acme", "--dry-run")

    assert out.splitlines() == [
        "roster.csv for Acme Outfitters:",
        summary(added=1, changed=1, deactivated=1, departments=1, unchanged=3),
        DRY_RUN,
    ]
    assert list(Person.objects.values_list("email", "level__name", "is_active")) == before
    assert Department.objects.count() == 1


def test_the_command_stops_before_a_mass_deactivation_unless_confirmed(organisation, tmp_path):
    five_in_sales(organisation)
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file(("Person 0", "p0@example.com", "Sales", "Front line")))
    warning = MASS_DEACTIVATION.format(count=4, active=5, percent=80, limit=40)

    with pytest.raises(CommandError) as stopped:
        run(str(path), "--org", "acme")

    assert str(stopped.value) == f"{warning} {CONFIRM_WITH_OPTION}"
    assert Person.objects.filter(is_active=True).count() == 5

    out, _ = run(str(path), "--org", "acme", "--confirm-deactivation")

    assert out.splitlines() == [
        "roster.csv for Acme Outfitters:",
        summary(deactivated=4, unchanged=1),
        warning,
        IMPORTED.format(added=0, changed=0, reactivated=0, deactivated=4, departments=0),
    ]
    assert Person.objects.filter(is_active=True).count() == 1
    assert Person.objects.count() == 5


def test_an_unknown_organisation_is_refused(organisation, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file(("Ann Archer", "ann@example.com", "Sales", "Manager")))

    with pytest.raises(CommandError) as refused:
        run(str(path), "--org", "nope")

    assert str(refused.value) == UNKNOWN_ORGANISATION.format(slug="nope")
    assert Person.objects.count() == 0


def test_the_help_says_levels_can_be_created_in_the_preview():
    parser = ImportRoster().create_parser("manage.py", "import_roster")

    help_text = " ".join(parser.format_help().split())

    assert (
        "Levels the file names that the organisation has not got yet can be created in "
        "the import's preview on the site (Roster → Import a roster)" in help_text
    )
    assert "--new-level NAME=KIND" in help_text


def test_a_level_the_organisation_has_not_got_is_created_with_the_kind_given(
    organisation, tmp_path
):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_file(
            ("Ann Archer", "ann@example.com", "Galley", "Crew"),
            ("Bob Baker", "bob@example.com", "Galley", "crew"),
            ("Cy Cole", "cy@example.com", "Bridge", "Captain"),
        )
    )

    out, _ = run(
        str(path),
        "--org",
        "acme",
        "--new-level",
        "Crew=front_line",
        "--new-level",
        "Captain=executive",
    )

    assert NEW_LEVEL.format(name="Crew", kind=LevelKind.FRONT_LINE.label, count=2) in out
    created = Level.objects.filter(organisation=organisation, name__in=["Crew", "Captain"])
    assert {(level.name, level.kind) for level in created} == {
        ("Crew", LevelKind.FRONT_LINE),
        ("Captain", LevelKind.EXECUTIVE),
    }
    # After the three levels there were: Crew first, as the file names it first.
    assert [level.name for level in Level.objects.filter(organisation=organisation)][3:] == [
        "Crew",
        "Captain",
    ]
    assert Person.objects.filter(level__name="Crew").count() == 2


def test_a_new_level_without_a_kind_imports_nothing_and_says_where_to_create_it(
    organisation, tmp_path
):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file(("Ann Archer", "ann@example.com", "Galley", "Crew")))

    with pytest.raises(CommandError) as failed:
        run(str(path), "--org", "acme")

    message = str(failed.value)
    assert LEVEL_KINDS_MISSING.format(count=1, names="“Crew”") in message
    assert "Roster → Import a roster" in message
    assert NEW_LEVEL_WITH_OPTION in message
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0
    assert not Level.objects.filter(name="Crew").exists()


def test_a_new_level_option_with_an_unknown_kind_is_refused(organisation, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file(("Ann Archer", "ann@example.com", "Galley", "Crew")))

    with pytest.raises(CommandError, match="--new-level takes NAME=KIND"):
        run(str(path), "--org", "acme", "--new-level", "Crew=sailor")

    assert Person.objects.count() == 0
