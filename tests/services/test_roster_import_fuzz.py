"""Whatever a facilitator uploads, the roster import answers with a list of problems or a valid
preview, raises nothing but its own errors, and never writes half an import."""

import csv
import io

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessment.models import Department, LevelKind, Person
from assessment.services.roster_import import (
    RosterImportError,
    RosterPreview,
    roster_import,
    roster_import_preview,
)
from tests.conftest import level
from tests.support.factories import DepartmentFactory, PersonFactory
from tests.support.roster_files import HEADER, csv_file, xlsx_file

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=150,
    deadline=None,
    # The organisation is made once per test; each example rolls its own writes back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
column_names = st.one_of(
    st.sampled_from([*HEADER, " Name ", "EMAIL", "Level\t", "notes", "", "e-mail"]),
    text,
)
cells = st.one_of(
    text,
    st.sampled_from(
        [
            "",
            "Ann Archer",
            "p0@example.com",
            "P1@EXAMPLE.COM",
            "new@example.com",
            "not-an-email",
            "Sales",
            "sales/north",
            "Sales//North",
            "/Sales",
            "Manager",
            "front line",
            "Intern",
            "=HYPERLINK(1)",
            "+1",
            "-1",
            "@1",
            "a\nb",
            "\x00",
        ]
    ),
    # Huge values.
    st.builds(
        lambda part, times: part * times, st.sampled_from(["x", "é/", "@"]), st.integers(0, 3000)
    ),
)
EMAILS = [f"p{n}@example.com" for n in range(5)] + ["P1@EXAMPLE.COM", "new@example.com"]
# Rows that are mostly right, so that many examples get as far as writing.
plausible_rows = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["Ann Archer", " Bob Baker ", "Zoë Åström"]), text),
        st.sampled_from(EMAILS),
        st.sampled_from(["Sales", "sales/north", " Ops / Logistics ", "Ops/Logistics/Inbound"]),
        st.sampled_from(["Manager", "front line", "EXECUTIVE"]),
    ).map(list),
    min_size=1,
    max_size=6,
    unique_by=lambda row: row[1].lower(),
)
headers = st.one_of(st.just(list(HEADER)), st.lists(column_names, max_size=7))
rows = st.lists(st.lists(cells, max_size=7), max_size=8)
filenames = st.sampled_from(["roster.csv", "roster.CSV", "roster.xlsx", "roster.txt", "roster"])


def csv_bytes(header: list[str], lines: list[list[str]], bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(lines)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def xlsx_bytes(header: list[str], lines: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in [header, *lines]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def damaged(data: bytes, at: int, byte: int) -> bytes:
    at %= len(data)
    return data[:at] + bytes([byte]) + data[at + 1 :]


def csv_upload(header: list[str], lines: list[list[str]], bom: bool) -> tuple[bytes, str]:
    return csv_bytes(header, lines, bom), "roster.csv"


def xlsx_upload(header: list[str], lines: list[list[str]]) -> tuple[bytes, str]:
    return xlsx_bytes(header, lines), "roster.xlsx"


def damaged_xlsx_upload(at: int, byte: int) -> tuple[bytes, str]:
    good = xlsx_file(("Ann Archer", "ann@example.com", "Sales", "Manager"))
    return damaged(good, at, byte), "roster.xlsx"


uploads = st.one_of(
    st.tuples(st.binary(max_size=2000), filenames),
    st.builds(csv_upload, headers, rows, st.booleans()),
    st.builds(csv_upload, st.just(list(HEADER)), plausible_rows, st.booleans()),
    st.builds(xlsx_upload, headers, rows),
    st.builds(xlsx_upload, st.just(list(HEADER)), plausible_rows),
    st.builds(damaged_xlsx_upload, st.integers(0, 10_000), st.integers(0, 255)),
)


@pytest.fixture
def staffed(organisation):
    """Five people, one inactive, so that imports also change, reactivate and deactivate."""
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    for n in range(5):
        PersonFactory(
            organisation=organisation,
            name=f"Person {n}",
            email=f"p{n}@example.com",
            department=sales,
            level=level(organisation, LevelKind.FRONT_LINE),
            is_active=n != 4,
        )
    return organisation


def roster_state(organisation) -> tuple[set, set]:
    return (
        set(
            Person.objects.filter(organisation=organisation).values_list(
                "pk", "name", "email", "department_id", "level_id", "is_active"
            )
        ),
        set(Department.objects.filter(organisation=organisation).values_list("pk", "path")),
    )


def assert_well_formed(preview: RosterPreview) -> None:
    assert isinstance(preview, RosterPreview)
    for problem in preview.errors:
        assert problem.line is None or problem.line >= 1
        assert problem.message
    if preview.errors:
        assert preview.to_add == preview.to_change == preview.to_deactivate == []
        assert preview.departments_to_create == []


@FUZZ
@given(upload=uploads)
@example(upload=(csv_file(("x" * 200_000, "a@example.com", "Sales", "Manager")), "r.csv"))
@example(upload=(b"\xff\xfen\x00a\x00m\x00e\x00", "r.csv"))
@example(upload=(b"PK\x03\x04" + b"\x00" * 100, "r.xlsx"))
def test_any_upload_gives_a_preview_or_a_list_of_problems(staffed, upload):
    data, filename = upload
    with transaction.atomic():
        before = roster_state(staffed)

        preview = roster_import_preview(organisation=staffed, file=data, filename=filename)

        assert_well_formed(preview)
        assert roster_state(staffed) == before
        transaction.set_rollback(True)


@FUZZ
@given(upload=uploads, confirm=st.booleans())
def test_any_upload_is_imported_whole_or_not_at_all(staffed, upload, confirm):
    data, filename = upload
    with transaction.atomic():
        people_before, departments_before = roster_state(staffed)
        active_before = sum(1 for person in people_before if person[-1])
        try:
            result = roster_import(
                organisation=staffed,
                file=data,
                filename=filename,
                confirm_mass_deactivation=confirm,
            )
        except RosterImportError as error:
            event(f"refused: {type(error).__name__}")
            assert roster_state(staffed) == (people_before, departments_before)
        else:
            event("imported")
            people_after, departments_after = roster_state(staffed)
            assert len(people_after) == len(people_before) + result.added
            assert sum(1 for person in people_after if person[-1]) == (
                active_before + result.added + result.reactivated - result.deactivated
            )
            assert len(departments_after) == len(departments_before) + result.departments_created
        transaction.set_rollback(True)
