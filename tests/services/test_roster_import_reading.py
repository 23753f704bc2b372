"""Reading a roster file: encodings, separators, workbooks, line numbers as a spreadsheet
counts them, formulas and other bad cells, columns, and files that cannot be read, each
refused with its reason."""

import pytest

from assessment.models import Department, Person
from assessment.services.roster_import import (
    COLUMN_LABELS,
    RosterInvalid,
    RosterProblem,
    roster_import,
    roster_import_preview,
)
from assessment.services.roster_import.messages import (
    CONTROL_CHARACTER,
    DEPARTMENT_PART_TOO_LONG,
    DUPLICATE_COLUMN,
    DUPLICATE_EMAIL,
    EMPTY_DEPARTMENT_PART,
    EMPTY_FILE,
    FORMULA,
    INVALID_EMAIL,
    MISSING_COLUMNS,
    MISSING_VALUE,
    NO_PEOPLE,
    NOT_UTF8,
    TOO_LONG,
    TOO_MANY_CELLS,
    UNREADABLE_XLSX,
    UNSUPPORTED_FILE_TYPE,
)
from tests.support.roster_files import HEADER, csv_file, csv_text, xlsx_file
from tests.support.rosters import people

pytestmark = pytest.mark.django_db


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
    data = csv_file(("", "nope", "Sales//", "=Intern"))

    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")

    assert preview.errors == [
        RosterProblem(2, MISSING_VALUE.format(column="name"), "name"),
        RosterProblem(2, INVALID_EMAIL.format(value="nope"), "email"),
        RosterProblem(2, EMPTY_DEPARTMENT_PART.format(value="Sales//"), "department"),
        RosterProblem(2, FORMULA.format(column="level", value="=Intern", character="="), "level"),
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
