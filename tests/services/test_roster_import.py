"""Importing the roster: every problem named before anything is written, then all or nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Department, Level, LevelKind, Person
from assessment.services import roster_import as roster_import_module
from assessment.services.roster_import import (
    COLUMN_LABELS,
    CONTROL_CHARACTER,
    DEPARTMENT_PART_TOO_LONG,
    DUPLICATE_COLUMN,
    DUPLICATE_EMAIL,
    EMPTY_DEPARTMENT_PART,
    EMPTY_FILE,
    FORMULA,
    INVALID_EMAIL,
    MASS_DEACTIVATION,
    MISSING_COLUMNS,
    MISSING_VALUE,
    NO_PEOPLE,
    NOT_UTF8,
    ROSTER_CHANGED,
    ROSTER_INVALID,
    TOO_LONG,
    TOO_MANY_CELLS,
    UNKNOWN_LEVEL,
    UNREADABLE_XLSX,
    UNSUPPORTED_FILE_TYPE,
    DepartmentToCreate,
    FieldChange,
    MassDeactivationUnconfirmed,
    PersonToAdd,
    PersonToChange,
    PersonToDeactivate,
    RosterChanged,
    RosterInvalid,
    RosterProblem,
    roster_import,
    roster_import_preview,
)
from tests.conftest import level
from tests.support.factories import DepartmentFactory, OrganisationFactory, PersonFactory
from tests.support.roster_files import HEADER, csv_file, csv_text, xlsx_file

pytestmark = pytest.mark.django_db

LEVELS = "Executive, Manager, Front line"


def people(organisation) -> set[tuple[str, str, str, str, bool]]:
    return set(
        Person.objects.filter(organisation=organisation).values_list(
            "name", "email", "department__path", "level__name", "is_active"
        )
    )


def departments(organisation) -> list[tuple[str, str | None, str]]:
    return list(
        Department.objects.filter(organisation=organisation)
        .order_by("path")
        .values_list("path", "parent__path", "name")
    )


def roster(organisation, departments_and_people: dict[str, list[tuple]]) -> dict[str, Person]:
    """People already on the roster: {department: [(name, email, level kind, active)]}."""
    made = {}
    for path, rows in departments_and_people.items():
        department = DepartmentFactory(organisation=organisation, name=path)
        for name, email, kind, active in rows:
            made[email] = PersonFactory(
                organisation=organisation,
                name=name,
                email=email,
                department=department,
                level=level(organisation, kind),
                is_active=active,
            )
    return made


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
        RosterProblem(5, UNKNOWN_LEVEL.format(value="Intern", levels=LEVELS), "level"),
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
    assert refused.value.preview.errors == expected
    assert str(refused.value) == ROSTER_INVALID.format(count=9)
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


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


def test_the_preview_says_what_a_reimport_would_do_and_the_import_does_exactly_that(
    organisation,
):
    before = roster(
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
    data = csv_file(
        ("Ann Archer-Smith", "ann@example.com", "Support", "Manager"),
        ("Bob Baker", "BOB@example.com", "Sales", "Front line"),
        ("Cy Cole", "cy@example.com", "Sales", "Front line"),
        ("Fay Fox", "fay@example.com", "Support/Escalations", "Front line"),
    )

    preview = roster_import_preview(organisation=organisation, file=data, filename="roster.csv")

    assert preview.errors == []
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


def test_a_utf8_csv_with_a_byte_order_mark_is_read(organisation):
    data = "\ufeff".encode() + csv_file(("Zoë Åström", "zoe@example.com", "Sales", "Manager"))

    result = roster_import(organisation=organisation, file=data, filename="roster.csv")

    assert result.added == 1
    assert people(organisation) == {("Zoë Åström", "zoe@example.com", "Sales", "Manager", True)}


def test_a_cp1252_csv_is_refused_rather_than_misread(organisation):
    data = csv_file(("Zoë Åström", "zoe@example.com", "Sales", "Manager"), encoding="cp1252")

    preview = roster_import_preview(organisation=organisation, file=data, filename="roster.csv")
    with pytest.raises(RosterInvalid):
        roster_import(organisation=organisation, file=data, filename="roster.csv")

    assert preview.errors == [RosterProblem(None, NOT_UTF8)]
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


def test_a_semicolon_separated_csv_as_excel_saves_it_in_many_locales_is_read(organisation):
    data = csv_text(("Ann Archer", "ann@example.com", "Sales", "Manager")).replace(",", ";")

    roster_import(organisation=organisation, file=data.encode(), filename="roster.csv")

    assert people(organisation) == {("Ann Archer", "ann@example.com", "Sales", "Manager", True)}


def test_an_xlsx_workbook_is_imported(organisation):
    data = xlsx_file(
        ("Ann Archer", "ann@example.com", "Operations/Logistics", "Manager"),
        ("Bob Baker", "bob@example.com", "Sales", "Front line"),
    )

    result = roster_import(organisation=organisation, file=data, filename="Roster.XLSX")

    assert result.added == 2
    assert people(organisation) == {
        ("Ann Archer", "ann@example.com", "Operations/Logistics", "Manager", True),
        ("Bob Baker", "bob@example.com", "Sales", "Front line", True),
    }


@pytest.mark.parametrize("make_file, filename", [(csv_file, "r.csv"), (xlsx_file, "r.xlsx")])
def test_line_numbers_count_blank_lines_as_a_spreadsheet_does(organisation, make_file, filename):
    data = make_file(
        ("Ann Archer", "ann@example.com", "Sales", "Manager"),
        (),
        ("", "", "", ""),
        ("Bob Baker", "bob.example.com", "Sales", "Manager"),
    )

    preview = roster_import_preview(organisation=organisation, file=data, filename=filename)

    assert preview.errors == [
        RosterProblem(5, INVALID_EMAIL.format(value="bob.example.com"), "email")
    ]
    assert preview.lines == 2


@pytest.mark.parametrize("make_file, filename", [(csv_file, "r.csv"), (xlsx_file, "r.xlsx")])
@pytest.mark.parametrize(
    "column, value, shown",
    [
        ("name", '=HYPERLINK("http://x.example","go")', '=HYPERLINK("http://x.example","go")'),
        ("name", "  +SUM(1,2)", "+SUM(1,2)"),
        ("email", "@evil@example.com", "@evil@example.com"),
        ("department", "-2+3", "-2+3"),
        ("department", "Sales/=cmd|'calc'!A0", "=cmd|'calc'!A0"),
        ("level", "=1+1", "=1+1"),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_refused(
    organisation, make_file, filename, column, value, shown
):
    row = {"name": "Ann Archer", "email": "ann@example.com", "department": "Sales"}
    row["level"] = "Manager"
    row[column] = value
    data = make_file(tuple(row[header] for header in HEADER))

    preview = roster_import_preview(organisation=organisation, file=data, filename=filename)
    with pytest.raises(RosterInvalid):
        roster_import(organisation=organisation, file=data, filename=filename)

    assert preview.errors == [
        RosterProblem(
            2,
            FORMULA.format(column=COLUMN_LABELS[column], value=shown, character=shown[0]),
            column,
        )
    ]
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


@pytest.mark.parametrize(
    "row, problem",
    [
        (
            ("Ann\nArcher", "ann@example.com", "Sales", "Manager"),
            RosterProblem(2, CONTROL_CHARACTER.format(column="name"), "name"),
        ),
        (
            ("Ann Archer", "ann@example.com", "Sales\x00", "Manager"),
            RosterProblem(2, CONTROL_CHARACTER.format(column="department"), "department"),
        ),
        (
            # A noncharacter: no spreadsheet of the report could hold it.
            ("Ann Archer", "ann@example.com", "Sales\uffff", "Manager"),
            RosterProblem(2, CONTROL_CHARACTER.format(column="department"), "department"),
        ),
        (
            ("Ann Archer", f"{'a' * 250}@example.com", "Sales", "Manager"),
            RosterProblem(
                2, TOO_LONG.format(column="e-mail address", length=262, limit=254), "email"
            ),
        ),
        (
            ("Ann Archer", "ann@example.com", f"Sales/{'N' * 121}", "Manager"),
            RosterProblem(
                2,
                DEPARTMENT_PART_TOO_LONG.format(value=f"Sales/{'N' * 33}…", limit=120),
                "department",
            ),
        ),
        (
            ("Ann Archer", "ann@example.com", "/Sales", "Manager"),
            RosterProblem(2, EMPTY_DEPARTMENT_PART.format(value="/Sales"), "department"),
        ),
        (
            ("Ann Archer", "ann@example.com", "Sales", ""),
            RosterProblem(2, MISSING_VALUE.format(column="level"), "level"),
        ),
    ],
)
def test_each_other_kind_of_bad_cell_is_named_with_its_reason(organisation, row, problem):
    preview = roster_import_preview(organisation=organisation, file=csv_file(row), filename="r.csv")

    assert preview.errors == [problem]


def test_several_problems_on_one_line_are_all_named_in_column_order(organisation):
    data = csv_file(("", "nope", "Sales//", "Intern"))

    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")

    assert preview.errors == [
        RosterProblem(2, MISSING_VALUE.format(column="name"), "name"),
        RosterProblem(2, INVALID_EMAIL.format(value="nope"), "email"),
        RosterProblem(2, EMPTY_DEPARTMENT_PART.format(value="Sales//"), "department"),
        RosterProblem(2, UNKNOWN_LEVEL.format(value="Intern", levels=LEVELS), "level"),
    ]


def test_an_email_on_three_lines_names_the_first_line_on_each_repeat(organisation):
    row = ("Ann Archer", "ann@example.com", "Sales", "Manager")

    preview = roster_import_preview(
        organisation=organisation, file=csv_file(row, row, row), filename="r.csv"
    )

    assert preview.errors == [
        RosterProblem(3, DUPLICATE_EMAIL.format(email="ann@example.com", first=2, line=3), "email"),
        RosterProblem(4, DUPLICATE_EMAIL.format(email="ann@example.com", first=2, line=4), "email"),
    ]


def test_column_names_are_matched_whatever_their_case_and_spacing_and_others_are_ignored(
    organisation,
):
    data = csv_file(
        ("Notes are ignored", "Ann Archer", "ann@example.com", "Sales", "Manager"),
        header=("Notes", " NAME ", "Email", "Department ", "LEVEL"),
    )

    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")

    assert preview.errors == []
    assert preview.ignored_columns == ["Notes"]
    assert [person.name for person in preview.to_add] == ["Ann Archer"]


@pytest.mark.parametrize(
    "header, problems",
    [
        (
            ("Name", "E-mail", "Dept"),
            [RosterProblem(1, MISSING_COLUMNS.format(columns="email, department, level"))],
        ),
        (
            ("name", "email", "department", "level", "Email"),
            [RosterProblem(1, DUPLICATE_COLUMN.format(column="email"))],
        ),
    ],
)
def test_missing_or_repeated_columns_are_named(organisation, header, problems):
    data = csv_file(tuple("x" for _ in header), header=header)

    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")

    assert preview.errors == problems


RAGGED = b"name,email,department,level\r\nAnn,a@example.com,Sales,Manager,extra\r\n"


@pytest.mark.parametrize(
    "data, filename, problem",
    [
        (b"", "roster.csv", RosterProblem(None, EMPTY_FILE)),
        (b"\xef\xbb\xbf \r\n", "roster.csv", RosterProblem(None, EMPTY_FILE)),
        (csv_file(), "roster.csv", RosterProblem(None, NO_PEOPLE)),
        (xlsx_file(), "roster.xlsx", RosterProblem(None, NO_PEOPLE)),
        (b"%PDF", "a.pdf", RosterProblem(None, UNSUPPORTED_FILE_TYPE.format(filename="a.pdf"))),
        (b"name", "a.xls", RosterProblem(None, UNSUPPORTED_FILE_TYPE.format(filename="a.xls"))),
        (csv_file(("a", "b", "c", "d")), "roster.xlsx", RosterProblem(None, UNREADABLE_XLSX)),
        (RAGGED, "roster.csv", RosterProblem(2, TOO_MANY_CELLS)),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(
    organisation, data, filename, problem
):
    preview = roster_import_preview(organisation=organisation, file=data, filename=filename)
    with pytest.raises(RosterInvalid):
        roster_import(organisation=organisation, file=data, filename=filename)

    assert preview.errors == [problem]
    assert Person.objects.count() == 0


def test_an_uploaded_file_object_is_read_from_the_start_and_named_by_its_name(organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "roster.csv", csv_file(("Ann Archer", "ann@example.com", "Sales", "Manager"))
    )
    upload.read(10)

    preview = roster_import_preview(organisation=organisation, file=upload)

    assert preview.filename == "roster.csv"
    assert [person.email for person in preview.to_add] == ["ann@example.com"]


def test_the_import_checks_the_file_again_against_the_roster_as_it_is_now(organisation):
    data = csv_file(
        ("Ann Archer", "ann@example.com", "Sales", "Manager"),
        ("Bob Baker", "bob@example.com", "Sales", "Front line"),
    )
    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")
    assert preview.errors == []
    Level.objects.filter(organisation=organisation, name="Manager").update(name="Middle")

    with pytest.raises(RosterInvalid) as refused:
        roster_import(organisation=organisation, preview=preview)

    assert refused.value.preview.errors == [
        RosterProblem(
            2,
            UNKNOWN_LEVEL.format(value="Manager", levels="Executive, Middle, Front line"),
            "level",
        )
    ]
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


def test_someone_added_since_the_preview_is_updated_rather_than_added_twice(organisation):
    data = csv_file(("Ann Archer", "ann@example.com", "Sales", "Manager"))
    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")
    assert [person.email for person in preview.to_add] == ["ann@example.com"]
    roster(organisation, {"Support": [("Ann A.", "ann@example.com", LevelKind.MANAGER, True)]})

    result = roster_import(organisation=organisation, preview=preview)

    assert (result.added, result.changed, result.departments_created) == (0, 1, 1)
    assert people(organisation) == {("Ann Archer", "ann@example.com", "Sales", "Manager", True)}


def test_a_failure_while_writing_leaves_nothing_behind(organisation, monkeypatch):
    roster(organisation, {"Sales": [("Di Dale", "di@example.com", LevelKind.MANAGER, True)]})
    before = people(organisation)
    data = csv_file(
        ("Di Dale", "di@example.com", "Sales/North", "Executive"),
        ("Ann Archer", "ann@example.com", "Operations/Logistics", "Manager"),
    )

    def fail(person_ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(roster_import_module, "_deactivate_people", fail)
    with pytest.raises(RuntimeError):
        roster_import(organisation=organisation, file=data, filename="r.csv")

    assert people(organisation) == before
    assert list(Department.objects.values_list("path", flat=True)) == ["Sales"]


def test_someone_adding_the_same_person_while_the_import_writes_leaves_nothing_behind(
    organisation, monkeypatch
):
    data = csv_file(("Ann Archer", "ann@example.com", "Sales/North", "Manager"))
    create_departments = roster_import_module._create_departments

    def meanwhile(*args):
        # Another process adds Ann after the import has read the roster.
        Person.objects.create(
            organisation=organisation,
            name="Ann",
            email="ANN@example.com",
            department=DepartmentFactory(organisation=organisation, name="Elsewhere"),
            level=level(organisation, LevelKind.MANAGER),
        )
        create_departments(*args)

    monkeypatch.setattr(roster_import_module, "_create_departments", meanwhile)
    with pytest.raises(RosterChanged) as refused:
        roster_import(organisation=organisation, file=data, filename="r.csv")

    assert str(refused.value) == ROSTER_CHANGED
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


def test_the_number_of_queries_does_not_grow_with_the_number_of_lines(organisation):
    other = OrganisationFactory(slug="other")
    for position, name in enumerate(["Executive", "Manager", "Front line"]):
        Level.objects.create(organisation=other, name=name, kind="manager", position=position)

    def queries(org, count: int) -> tuple[int, int]:
        """Queries to import `count` people, then to move all but one and drop that one."""
        first = csv_file(
            *(
                (f"Person {n}", f"p{n}@example.com", f"Sales/Team {n % 3}", "Manager")
                for n in range(count)
            )
        )
        second = csv_file(
            *(
                (f"P. {n}", f"p{n}@example.com", f"Ops/Team {n % 3}", "Executive")
                for n in range(1, count)
            )
        )
        with CaptureQueriesContext(connection) as importing:
            roster_import(organisation=org, file=first, filename="r.csv")
        with CaptureQueriesContext(connection) as reimporting:
            result = roster_import(organisation=org, file=second, filename="r.csv")
        assert (result.changed, result.deactivated) == (count - 1, 1)
        return len(importing), len(reimporting)

    assert queries(organisation, 3) == queries(other, 300)
