"""A spreadsheet's sheets and cells: a heading row, then rows of plain values; the marker
for whatever the gate suppressed, numbers as numbers with their format, and every text
neutralised so that no cell runs as a formula."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from assessment.free_text import FORMULA_STARTS, cleaned

from ..assembly import is_suppressed
from ..tables import SUPPRESSED_MARKER, ItemRow, fmt_percent

if TYPE_CHECKING:  # only the spreadsheet needs openpyxl, imported when it is written
    from openpyxl import Workbook

TEXT, INT, SCORE, MEAN, SHARE, CHANGE = "text", "int", "score", "mean", "share", "change"
NUMBER_FORMATS = {INT: "0", SCORE: "0.0", MEAN: "0.00", SHARE: "0.0%", CHANGE: "+0.0;-0.0;0.0"}
WIDTHS = {TEXT: 22, INT: 10, SCORE: 10, MEAN: 10, SHARE: 13, CHANGE: 10}
# What a cell holds where the gate suppressed a value: written as SUPPRESSED_MARKER.
SUPPRESSED = {"suppressed": True}

Column = tuple[str, str]  # (heading, kind)


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as written, never as a formula: cleaned (a removed
    character must not hide a formula behind it), then an apostrophe first. Comments are
    written by anyone invited, so every text cell is neutralised, not only comments."""
    text = cleaned(text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def text_columns(*headings: str) -> list[Column]:
    return [(heading, TEXT) for heading in headings]


class Sheet:
    """One sheet of a write-only workbook (openpyxl streams each row to disk as it is
    added, so a sheet of 600,000 comments costs no more memory than one of ten): a
    heading row, then rows of plain values. The marker for whatever the gate suppressed,
    numbers as numbers with their format, and every text neutralised."""

    def __init__(
        self,
        book: "Workbook",
        title: str,
        columns: Sequence[Column],
        wide: Iterable[int] = (),
        heading: bool = True,
    ):
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet(title)
        self.kinds = [kind for _, kind in columns]
        self.bold = Font(bold=True)
        # A write-only sheet takes its widths and panes before its first row.
        for index, kind in enumerate(self.kinds, start=1):
            width = 60 if index - 1 in set(wide) else WIDTHS[kind]
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        if heading:
            self.sheet.freeze_panes = "A2"
            self.heading([name for name, _ in columns])

    def heading(self, names: Sequence[str]) -> None:
        self.sheet.append([self._cell(neutralised(name), font=self.bold) for name in names])

    def _cell(self, value: object, *, font: object = None, number_format: str = "") -> object:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet, value=value)
        if font is not None:
            cell.font = font
        if number_format:
            cell.number_format = number_format
        return cell

    def add(self, values: Sequence[object]) -> None:
        cells: list[object] = []
        for index, value in enumerate(values):
            kind = self.kinds[index] if index < len(self.kinds) else TEXT
            if is_suppressed(value):
                value = SUPPRESSED_MARKER
            elif isinstance(value, str):
                value = neutralised(value)
            elif isinstance(value, bool):
                value = "yes" if value else ""
            elif kind in NUMBER_FORMATS and isinstance(value, int | float):
                value = self._cell(value, number_format=NUMBER_FORMATS[kind])
            cells.append(value)
        self.sheet.append(cells)

    def note(self, text: str) -> None:
        self.sheet.append([])
        self.sheet.append([neutralised(text)])


ITEM_COLUMNS: list[Column] = [
    ("Code", TEXT),
    ("Question", TEXT),
    ("n", INT),
    ("Score (0–100)", SCORE),
    ("Mean", MEAN),
    ("Unfavourable", SHARE),
    ("Smoke", TEXT),
    ("Change", CHANGE),
    ("Distribution", TEXT),
]


def _distribution(row: ItemRow) -> str:
    return "; ".join(f"{s.label}: {s.count} ({fmt_percent(s.share)})" for s in row.shares)


def item_values(row: ItemRow) -> list[object]:
    """A question's cells, under ITEM_COLUMNS."""
    if row.suppressed:
        return [row.code, row.text, *[SUPPRESSED] * 7]
    return [
        row.code,
        row.text,
        row.n,
        row.score,
        row.mean,
        row.unfavourable,
        "smoke" if row.smoke else "",
        row.change,
        _distribution(row),
    ]
