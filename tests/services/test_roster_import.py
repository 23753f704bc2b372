"""Importing the roster: the preview says what an import would do, every problem is named
before anything is written, then all or nothing; people and departments are matched on a
reimport, and deactivating many at once needs confirming."""

import pytest

from assessment.models import Department, Level, LevelKind, Person
from assessment.services.roster_import import (
    DepartmentToCreate,
    FieldChange,
    LevelToCreate,
    MassDeactivationUnconfirmed,
    PersonToAdd,
    PersonToChange,
    PersonToDeactivate,
    RosterInvalid,
    RosterProblem,
    roster_import,
    roster_import_preview,
)
from assessment.services.roster_import.messages import (
    DUPLICATE_EMAIL,
    EMPTY_DEPARTMENT_PART,
    FORMULA,
    INVALID_EMAIL,
    MASS_DEACTIVATION,
    MISSING_VALUE,
    ROSTER_INVALID,
    TOO_LONG,
)
from tests.support.roster_files import csv_file
from tests.support.rosters import departments, people, roster

pytestmark = pytest.mark.django_db


def test_a_roster_with_several_kinds_of_bad_line_writes_nothing_and_names_every_one(
    organisation,
):
    data = csv_file(
        ("Ann Archer", "ann@example.com", "Sales", "Manager"),
        ("Bob Baker", "", "Sales", "Manager"),
        ("Cy Cole", "cy.example.com", "Sales", "Manager"),
        ("Di Dale", "di@example.com", "Sales", "Intern"),
        ("Ann Again", "ANN@example.com", "Sales", "Manager"),
        ("Ed Eve", "ed@example.com", "  ", "Manager"),
        ("Flo Fry", "flo@example.com", "Sales//North", "Manager"),
        ("", "gus@example.com", "Sales", "Manager"),
        ('=HYPERLINK("http://x.example","go")', "hal@example.com", "Sales", "Manager"),
        ("I" * 201, "ivy@example.com", "Sales", "Manager"),
        ("Jo Jay", "jo@example.com", "Operations/Logistics", "front LINE"),
    )
    expected = [
        RosterProblem(3, MISSING_VALUE.format(column="e-mail address"), "email"),
        RosterProblem(4, INVALID_EMAIL.format(value="cy.example.com"), "email"),
        RosterProblem(6, DUPLICATE_EMAIL.format(email="ann@example.com", first=2, line=6), "email"),
        RosterProblem(7, MISSING_VALUE.format(column="department"), "department"),
        RosterProblem(8, EMPTY_DEPARTMENT_PART.format(value="Sales//North"), "department"),
        RosterProblem(9, MISSING_VALUE.format(column="name"), "name"),
        RosterProblem(
            10,
            FORMULA.format(
                column="name", value='=HYPERLINK("http://x.example","go")', character="="
            ),
            "name",
        ),
        RosterProblem(11, TOO_LONG.format(column="name", length=201, limit=200), "name"),
    ]

    preview = roster_import_preview(organisation=organisation, file=data, filename="roster.csv")
    with pytest.raises(RosterInvalid) as refused:
        roster_import(organisation=organisation, file=data, filename="roster.csv")

    assert preview.errors == expected
    assert not preview.is_valid
    assert (preview.to_add, preview.to_change, preview.to_deactivate) == ([], [], [])
    assert preview.departments_to_create == []
    # A level the organisation has not got is no problem: the preview offers to create it.
    assert preview.levels_to_create == [LevelToCreate(name="Intern", lines=(5,))]
    assert refused.value.preview.errors == expected
    assert str(refused.value) == ROSTER_INVALID.format(count=8)
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0
    assert not Level.objects.filter(name="Intern").exists()


def test_a_good_import_creates_the_departments_along_each_path_and_the_people(organisation):
    data = csv_file(
        ("Ann Archer", " Ann@Example.COM ", "Operations/Logistics", "manager"),
        ("Bob Baker", "bob@example.com", "Operations", "Front line"),
        ("Cy Cole", "cy@example.com", " Sales / North ", "EXECUTIVE"),
    )

    result = roster_import(organisation=organisation, file=data, filename="roster.csv")

    assert departments(organisation) == [
        ("Operations", None, "Operations"),
        ("Operations/Logistics", "Operations", "Logistics"),
        ("Sales", None, "Sales"),
        ("Sales/North", "Sales", "North"),
    ]
    assert people(organisation) == {
        ("Ann Archer", "ann@example.com", "Operations/Logistics", "Manager", True),
        ("Bob Baker", "bob@example.com", "Operations", "Front line", True),
        ("Cy Cole", "cy@example.com", "Sales/North", "Executive", True),
    }
    assert (result.added, result.changed, result.deactivated, result.departments_created) == (
        3,
        0,
        0,
        4,
    )


def five_on_the_roster(organisation) -> dict:
    """Three people in Sales, two in Support, Cy and Ed inactive."""
    return roster(
        organisation,
        {
            "Sales": [
                ("Ann Archer", "ann@example.com", LevelKind.FRONT_LINE, True),
                ("Bob Baker", "bob@example.com", LevelKind.FRONT_LINE, True),
                ("Cy Cole", "cy@example.com", LevelKind.FRONT_LINE, False),
            ],
            "Support": [
                ("Di Dale", "di@example.com", LevelKind.MANAGER, True),
                ("Ed Eve", "ed@example.com", LevelKind.MANAGER, False),
            ],
        },
    )


def check_preview_people(preview, before: dict) -> None:
    """Fay is added; Ann changes name, department and level; Cy is reactivated; Di, not
    in the file, is deactivated."""
    assert preview.to_add == [
        PersonToAdd(
            line=5,
            name="Fay Fox",
            email="fay@example.com",
            department="Support/Escalations",
            level="Front line",
        )
    ]
    assert preview.to_change == [
        PersonToChange(
            line=2,
            person_id=before["ann@example.com"].pk,
            email="ann@example.com",
            name="Ann Archer-Smith",
            department="Support",
            level="Manager",
            changes=(
                FieldChange("name", "Ann Archer", "Ann Archer-Smith"),
                FieldChange("department", "Sales", "Support"),
                FieldChange("level", "Front line", "Manager"),
            ),
        ),
        PersonToChange(
            line=4,
            person_id=before["cy@example.com"].pk,
            email="cy@example.com",
            name="Cy Cole",
            department="Sales",
            level="Front line",
            changes=(FieldChange("reactivated", "inactive", "active"),),
        ),
    ]
    assert preview.to_deactivate == [
        PersonToDeactivate(
            person_id=before["di@example.com"].pk,
            name="Di Dale",
            email="di@example.com",
            department="Support",
        )
    ]


def test_the_preview_says_what_a_reimport_would_do_and_the_import_does_exactly_that(
    organisation,
):
    before = five_on_the_roster(organisation)
    data = csv_file(
        ("Ann Archer-Smith", "ann@example.com", "Support", "Manager"),
        ("Bob Baker", "BOB@example.com", "Sales", "Front line"),
        ("Cy Cole", "cy@example.com", "Sales", "Front line"),
        ("Fay Fox", "fay@example.com", "Support/Escalations", "Front line"),
    )

    preview = roster_import_preview(organisation=organisation, file=data, filename="roster.csv")

    assert preview.errors == []
    check_preview_people(preview, before)
    assert preview.departments_to_create == [
        DepartmentToCreate(path="Support/Escalations", name="Escalations", parent="Support")
    ]
    assert (preview.unchanged, preview.active_before, preview.reactivated) == (1, 3, 1)
    assert not preview.needs_confirmation
    roster_before = {
        ("Ann Archer", "ann@example.com", "Sales", "Front line", True),
        ("Bob Baker", "bob@example.com", "Sales", "Front line", True),
        ("Cy Cole", "cy@example.com", "Sales", "Front line", False),
        ("Di Dale", "di@example.com", "Support", "Manager", True),
        ("Ed Eve", "ed@example.com", "Support", "Manager", False),
    }
    assert people(organisation) == roster_before
    assert Department.objects.count() == 2

    result = roster_import(organisation=organisation, preview=preview)

    assert people(organisation) == {
        ("Ann Archer-Smith", "ann@example.com", "Support", "Manager", True),
        ("Bob Baker", "bob@example.com", "Sales", "Front line", True),
        ("Cy Cole", "cy@example.com", "Sales", "Front line", True),
        ("Di Dale", "di@example.com", "Support", "Manager", False),
        ("Ed Eve", "ed@example.com", "Support", "Manager", False),
        ("Fay Fox", "fay@example.com", "Support/Escalations", "Front line", True),
    }
    assert Department.objects.get(path="Support/Escalations").parent.path == "Support"
    assert (
        result.added,
        result.changed,
        result.reactivated,
        result.deactivated,
        result.unchanged,
        result.departments_created,
    ) == (1, 2, 1, 1, 1, 1)


def test_reimporting_the_same_file_changes_nothing(organisation):
    data = csv_file(
        ("Ann Archer", "ann@example.com", "Sales/North", "Manager"),
        ("Bob Baker", "bob@example.com", "Sales", "Front line"),
    )
    roster_import(organisation=organisation, file=data, filename="roster.csv")
    first = people(organisation)

    result = roster_import(organisation=organisation, file=data, filename="roster.csv")

    assert people(organisation) == first
    assert Department.objects.count() == 2
    assert (result.added, result.changed, result.deactivated, result.unchanged) == (0, 0, 0, 2)


def test_people_and_departments_are_matched_whatever_the_case_of_the_file(organisation):
    before = roster(
        organisation, {"Sales": [("Ann Archer", "Ann@Example.com", LevelKind.MANAGER, True)]}
    )
    data = csv_file(("Ann Archer", "ann@EXAMPLE.com", "SALES/north", "manager"))

    preview = roster_import_preview(organisation=organisation, file=data, filename="roster.csv")

    assert preview.to_add == []
    assert preview.to_change == [
        PersonToChange(
            line=2,
            person_id=before["Ann@Example.com"].pk,
            email="Ann@Example.com",
            name="Ann Archer",
            department="Sales/north",
            level="Manager",
            changes=(FieldChange("department", "Sales", "Sales/north"),),
        )
    ]
    assert preview.departments_to_create == [
        DepartmentToCreate(path="Sales/north", name="north", parent="Sales")
    ]


def test_a_reimport_deactivating_more_than_40_percent_stops_unless_confirmed(organisation):
    roster(
        organisation,
        {
            "Sales": [
                (f"Person {n}", f"p{n}@example.com", LevelKind.FRONT_LINE, True) for n in range(5)
            ]
        },
    )
    data = csv_file(
        ("Person 0", "p0@example.com", "Sales", "Front line"),
        ("Person 1", "p1@example.com", "Sales", "Front line"),
        ("Newcomer", "new@example.com", "Sales", "Front line"),
    )
    before = people(organisation)

    with pytest.raises(MassDeactivationUnconfirmed) as stopped:
        roster_import(organisation=organisation, file=data, filename="roster.csv")

    assert str(stopped.value) == MASS_DEACTIVATION.format(count=3, active=5, percent=60, limit=40)
    assert stopped.value.preview.needs_confirmation
    assert people(organisation) == before

    result = roster_import(
        organisation=organisation,
        file=data,
        filename="roster.csv",
        confirm_mass_deactivation=True,
    )

    assert (result.added, result.deactivated) == (1, 3)
    assert Person.objects.filter(organisation=organisation, is_active=True).count() == 3
    assert Person.objects.filter(organisation=organisation).count() == 6


def test_deactivating_exactly_40_percent_needs_no_confirmation(organisation):
    roster(
        organisation,
        {
            "Sales": [
                (f"Person {n}", f"p{n}@example.com", LevelKind.FRONT_LINE, True) for n in range(5)
            ]
        },
    )
    data = csv_file(
        *((f"Person {n}", f"p{n}@example.com", "Sales", "Front line") for n in range(3))
    )

    result = roster_import(organisation=organisation, file=data, filename="roster.csv")

    assert result.deactivated == 2
    assert not result.preview.needs_confirmation
