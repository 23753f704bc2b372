"""Reading a roster file and checking each line on its own and against the others. The
levels are checked later, against the database (planning.py)."""

import csv
import io
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from tablib.exceptions import InvalidDimensions
from tablib.formats import registry as tablib_formats

from assessment.free_text import FORMULA_STARTS, cleaned
from assessment.models import Department, Level, Person

from . import messages
from .preview import RosterProblem, _ReadFile, _Row

COLUMNS = ("name", "email", "department", "level")
COLUMN_LABELS = {
    "name": "name",
    "email": "e-mail address",
    "department": "department",
    "level": "level",
}
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx"}
MAX_LENGTHS = {
    "name": Person._meta.get_field("name").max_length,
    "email": Person._meta.get_field("email").max_length,
    "department": Department._meta.get_field("path").max_length,
    "level": Level._meta.get_field("name").max_length,
}
MAX_DEPARTMENT_PART = Department._meta.get_field("name").max_length
SHOWN_VALUE_LENGTH = 40
# Line breaks, tabs, NUL (which PostgreSQL refuses) and the rest of Unicode's Cc category,
# and Unicode's line and paragraph separators. A name also holds nothing that free text
# may not (assessment/free_text.py): a department's name is in every download.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

validate_email = EmailValidator()


class _Unreadable(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        self.problem = RosterProblem(line=line, message=message)


def _filename(file: bytes | IO[bytes], filename: str | None) -> str:
    return filename if filename is not None else str(getattr(file, "name", "") or "")


def _bytes(file: bytes | IO[bytes]) -> bytes:
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file)
    if getattr(file, "seekable", lambda: False)():
        file.seek(0)
    return file.read()


def _read(data: bytes, filename: str) -> _ReadFile:
    try:
        dataset = _dataset(data, filename)
        return _rows(dataset)
    except _Unreadable as unreadable:
        return _ReadFile(rows=(), problems=(unreadable.problem,), ignored_columns=())


def _dataset(data: bytes, filename: str) -> tablib.Dataset:
    kind = EXTENSIONS.get(PurePath(filename).suffix.lower())
    if kind is None:
        raise _Unreadable(messages.UNSUPPORTED_FILE_TYPE.format(filename=_shown(filename)))
    if not data:
        raise _Unreadable(messages.EMPTY_FILE)
    dataset = tablib.Dataset()
    if kind == "csv":
        _load_csv(dataset, data)
    else:
        _load_xlsx(dataset, data)
    if not dataset.headers or not any(_text(header) for header in dataset.headers):
        raise _Unreadable(messages.EMPTY_FILE)
    return dataset


def _load_csv(dataset: tablib.Dataset, data: bytes) -> None:
    try:
        # "utf-8-sig" drops the byte order mark that Excel writes, when there is one.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Latin-1 and CP1252 bytes are not valid UTF-8: refused rather than guessed at, so
        # that “Zoë” never becomes “ZoÃ«” or worse.
        raise _Unreadable(messages.NOT_UTF8) from None
    if not text.strip():
        raise _Unreadable(messages.EMPTY_FILE)
    first_line = next(iter(io.StringIO(text, newline="")), "")
    if not first_line.strip():
        raise _Unreadable(messages.MISSING_COLUMNS.format(columns=", ".join(COLUMNS)), line=1)
    # Excel in many European locales saves "CSV" with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        dataset.load(_csv_lines(text), format="csv", delimiter=delimiter)
    except InvalidDimensions:
        raise _Unreadable(messages.TOO_MANY_CELLS, line=_line_reached(dataset)) from None
    except csv.Error as error:
        raise _Unreadable(
            messages.UNREADABLE_CSV.format(reason=error), line=_line_reached(dataset)
        ) from None


def _csv_lines(text: str) -> Iterator[str]:
    # tablib skips an empty line, but a spreadsheet shows it as a row and numbers the rows
    # below it accordingly: hand it over as one empty cell, so that line numbers stay those
    # the user sees. (Inside a quoted cell this changes a value that is refused anyway, for
    # its line breaks.)
    for line in io.StringIO(text, newline=""):
        yield '""\n' if line in ("\n", "\r\n", "\r") else line


def _load_xlsx(dataset: tablib.Dataset, data: bytes) -> None:
    # Not Dataset.load(): it reads each formula's last computed value, where we want to see
    # (and refuse) the formula itself.
    xlsx = tablib_formats.get_format("xlsx")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # any malformed upload: zip, XML or workbook structure
        raise _Unreadable(messages.UNREADABLE_XLSX) from None
    try:
        xlsx.import_sheet(dataset, workbook.active)
    except InvalidDimensions:
        raise _Unreadable(messages.TOO_MANY_CELLS, line=_line_reached(dataset)) from None
    except Exception:  # a malformed sheet inside a well-formed zip
        raise _Unreadable(messages.UNREADABLE_XLSX) from None
    finally:
        workbook.close()


def _line_reached(dataset: tablib.Dataset) -> int:
    """The line being read when reading stopped."""
    return dataset.height + 2 if dataset.headers else 1


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, ArrayFormula):
        return value.text or ""
    if isinstance(value, DataTableFormula):
        return "=TABLE()"
    return str(value).strip()


def _shown(value: str) -> str:
    if len(value) <= SHOWN_VALUE_LENGTH:
        return value
    return value[: SHOWN_VALUE_LENGTH - 1] + "…"


def _rows(dataset: tablib.Dataset) -> _ReadFile:
    """Check each line on its own and against the others; levels need the database."""
    headers = [_text(header).lower() for header in dataset.headers]
    positions, problems = _column_positions(headers)
    if problems:
        return _ReadFile(rows=(), problems=tuple(problems), ignored_columns=())
    ignored = tuple(
        _text(dataset.headers[position])
        for position, header in enumerate(headers)
        if header and header not in COLUMNS
    )
    rows: list[_Row] = []
    first_line_of: dict[str, int] = {}
    for index, cells in enumerate(dataset[:]):
        values = [_text(cell) for cell in cells]
        if not any(values):
            continue  # a blank line
        by_column = {column: values[positions[column]] for column in COLUMNS}
        row, row_problems = _row(index + 2, by_column, first_line_of)
        problems.extend(row_problems)
        rows.append(row)
    if not rows and not problems:
        problems.append(RosterProblem(line=None, message=messages.NO_PEOPLE))
    return _ReadFile(rows=tuple(rows), problems=tuple(problems), ignored_columns=ignored)


def _column_positions(headers: list[str]) -> tuple[dict[str, int], list[RosterProblem]]:
    """Where each column is (the first of its name), and what is wrong with the first line."""
    positions: dict[str, int] = {}
    problems: list[RosterProblem] = []
    for position, header in enumerate(headers):
        if header in COLUMNS and header in positions:
            problems.append(
                RosterProblem(line=1, message=messages.DUPLICATE_COLUMN.format(column=header))
            )
        positions.setdefault(header, position)
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        message = messages.MISSING_COLUMNS.format(columns=", ".join(missing))
        problems.append(RosterProblem(line=1, message=message))
    return positions, problems


def _row(
    line: int, values: dict[str, str], first_line_of: dict[str, int]
) -> tuple[_Row, list[RosterProblem]]:
    """One line's cleaned values, and its problems in the order of the columns.
    `first_line_of` holds the line each e-mail address was first seen on."""
    name, name_problem = _cell("name", values["name"])
    email, email_problem = _cell("email", values["email"])
    department, department_problem = _department(values["department"])
    level, level_problem = _cell("level", values["level"])
    if email is not None:
        first = first_line_of.setdefault(email, line)
        if first != line:
            email_problem = messages.DUPLICATE_EMAIL.format(email=email, first=first, line=line)
    found = {
        "name": name_problem,
        "email": email_problem,
        "department": department_problem,
        "level": level_problem,
    }
    problems = [
        RosterProblem(line=line, column=column, message=message)
        for column, message in found.items()
        if message
    ]
    row = _Row(line=line, name=name, email=email, department=department, level=level)
    return row, problems


def _cell(column: str, value: str) -> tuple[str | None, str | None]:
    """The cleaned value of a name, e-mail or level cell (None when it has a problem), and
    the problem."""
    problem = _cell_problem(column, value)
    if problem:
        return None, problem
    if column == "email":
        email = value.lower()
        try:
            validate_email(email)
        except ValidationError:
            return None, messages.INVALID_EMAIL.format(value=_shown(email))
        return email, None
    return value, None


def _department(value: str) -> tuple[tuple[str, ...] | None, str | None]:
    """A department cell's path as its parts (None when it has a problem), and the problem."""
    problem = _cell_problem("department", value)
    if problem:
        return None, problem
    return _department_parts(value)


def _cell_problem(column: str, value: str) -> str | None:
    label = COLUMN_LABELS[column]
    if not value:
        return messages.MISSING_VALUE.format(column=label)
    if CONTROL_CHARACTERS.search(value) or cleaned(value) != value:
        return messages.CONTROL_CHARACTER.format(column=label)
    if value.startswith(FORMULA_STARTS):
        return messages.FORMULA.format(column=label, value=_shown(value), character=value[0])
    limit = MAX_LENGTHS[column]
    if limit is not None and len(value) > limit:
        return messages.TOO_LONG.format(column=label, length=len(value), limit=limit)
    return None


def _department_parts(value: str) -> tuple[tuple[str, ...] | None, str | None]:
    parts = tuple(part.strip() for part in value.split("/"))
    if not all(parts):
        return None, messages.EMPTY_DEPARTMENT_PART.format(value=_shown(value))
    for part in parts:
        if part.startswith(FORMULA_STARTS):
            label = COLUMN_LABELS["department"]
            return None, messages.FORMULA.format(
                column=label, value=_shown(part), character=part[0]
            )
        if MAX_DEPARTMENT_PART is not None and len(part) > MAX_DEPARTMENT_PART:
            return None, messages.DEPARTMENT_PART_TOO_LONG.format(
                value=_shown(value), limit=MAX_DEPARTMENT_PART
            )
    return parts, None
