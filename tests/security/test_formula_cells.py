"""Formula injection: every typed field starts like a spreadsheet formula (= + - @, a tab,
a carriage return), and no spreadsheet the site hands out ever holds a cell a
spreadsheet program would run. The spreadsheets are found, not listed: every staff route
is opened by every role that reads reports (and the export command is run), and whatever
comes back as CSV or XLSX is read cell by cell."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from assessment.models import Role
from tests.support.report_pages import opened, reader
from tests.support.xss_corpus import (
    DOWNLOADS,
    FORMULA_STARTS,
    PLANTS,
    TEXTS,
    Site,
    plant_site,
    staff_urls,
)
from tests.views.test_access import PAGES

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a reader sees of each planted field in the report's spreadsheet.
IN_THE_SPREADSHEET = [
    "organisation",
    "round",
    "department",
    "front line",
    "manager",
    "question",
    "multi question",
    "scale question",
    "text question",
    "yes",
    "what",
    "who",
    "workshop",
    "live workshop",
]


def xlsx_cells(content: bytes) -> Iterator[tuple[str, object]]:
    """(openpyxl's data type, value) of every cell: "f" is a formula."""
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield cell.data_type, cell.value


def csv_cells(content: bytes) -> Iterator[tuple[str, object]]:
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        for value in row:
            yield "s", value


READERS = {XLSX: xlsx_cells, "text/csv": csv_cells}


def spreadsheet_cells(response) -> list[tuple[str, object]] | None:
    kind = response.get("Content-Type", "").split(";")[0].strip()
    return list(READERS[kind](response.content)) if kind in READERS else None


def formulas(cells: list[tuple[str, object]]) -> list[object]:
    return [
        value
        for data_type, value in cells
        if data_type == "f" or (isinstance(value, str) and value.startswith(FORMULA_STARTS))
    ]


def texts(cells: list[tuple[str, object]]) -> list[str]:
    return [value for _, value in cells if isinstance(value, str)]


def shown_neutralised(planted: str, cells: list[str]) -> bool:
    """The text as written, after the apostrophe that keeps it text (at the start of a
    cell: a distribution's first label starts its cell). XML keeps no carriage return:
    a cell's \\r reads back as \\n."""
    written = f"'{planted}".replace("\r", "\n")
    return any(cell.startswith(written) for cell in cells)


@pytest.fixture
def site(organisation, instruments) -> Site:
    return plant_site(organisation, password="a-long-passphrase-9")


def every_reader(site: Site) -> dict[str, Client]:
    organisation = site.organisation
    return {
        "admin": reader(organisation, Role.ADMIN),
        "facilitator": reader(organisation, Role.FACILITATOR),
        "executive": reader(organisation, Role.EXECUTIVE),
        "lead": reader(organisation, Role.DEPARTMENT_LEAD, site.department),
    }


def test_no_spreadsheet_of_the_site_holds_a_formula_and_each_planted_text_shows_as_text(
    site, tmp_path: Path
):
    urls = staff_urls(site)
    assert set(urls) == set(PAGES)  # every staff page and download of the site
    found: dict[tuple[str, str], list[tuple[str, object]]] = {}
    files: set[str] = set()
    for role, client in every_reader(site).items():
        for name, addresses in urls.items():
            for url in addresses:
                if url.endswith(".pdf"):
                    continue  # the PDFs are read in tests/security/test_xss_pdfs.py
                response = opened(client, url)
                if "attachment" in response.get("Content-Disposition", ""):
                    files.add(name)
                cells = spreadsheet_cells(response)
                if cells is not None:
                    found[(role, url)] = cells
    output = tmp_path / "report.xlsx"
    call_command("export_report", site.round.pk, export_format="xlsx", output=output)
    found[("export_report", str(output))] = list(xlsx_cells(output.read_bytes()))

    # Every file the site serves is known, and each reader got the report's spreadsheet.
    assert files == {name for name in DOWNLOADS if not name.endswith("pdf")}
    readers = {"admin", "facilitator", "executive", "lead", "export_report"}
    assert {role for role, _ in found} == readers
    for where, cells in found.items():
        assert formulas(cells) == [], where
        shown = texts(cells)
        for field in IN_THE_SPREADSHEET:
            assert shown_neutralised(PLANTS[field], shown), (where, field)
        for text in TEXTS:
            assert shown_neutralised(text, shown), (where, text)
