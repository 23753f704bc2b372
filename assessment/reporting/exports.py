"""The files a published report is downloaded as. Each format is an exporter that writes a
`ReportExport` (a snapshot as one reader may see it) to a binary stream: the JSON is the
snapshot itself, or a lead's part of it (docs/report-json.md); the spreadsheet has one
sheet per view; the PDF is the report an executive prints.

Like the pages, every exporter reads the scope, never the snapshot directly. Every text an
exporter writes is cleaned (assessment/free_text.py), whenever it was stored: one character
a format refuses would otherwise fail the whole file for every reader."""

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from assessment.free_text import cleaned, cleaned_json
from assessment.models import Department, ReportSnapshot, Round
from assessment.selectors.reports import (
    ReportCommitments,
    report_commitments,
    report_instrument_names,
    report_scope,
)

from .assembly import is_suppressed
from .presentation import group_report
from .scope import ReportScope
from .tables import (
    SUPPRESSED_MARKER,
    SUPPRESSED_MEANING,
    ItemRow,
    comment_groups,
    fmt_percent,
    gap_levels,
    item_rows,
    level_names,
    words_rows,
)


@dataclass(frozen=True)
class ReportExport:
    """What a download holds: the report as its reader may see it, with the live facts a
    printed report needs beside it (commitments, the instruments' names)."""

    round: Round
    snapshot: ReportSnapshot
    scope: ReportScope
    commitments: ReportCommitments
    names: dict[str, str]

    @property
    def built_at(self) -> datetime.datetime:
        return timezone.localtime(self.snapshot.built_at, self.round.organisation.zone)


def report_export(
    round: Round, snapshot: ReportSnapshot, within: Department | None = None
) -> ReportExport:
    return ReportExport(
        round=round,
        snapshot=snapshot,
        scope=report_scope(snapshot, within),
        commitments=report_commitments(round, snapshot, within),
        names=report_instrument_names(round),
    )


class Exporter(Protocol):
    extension: str
    content_type: str

    def write(self, export: ReportExport, stream: BinaryIO) -> None: ...


class JsonExporter:
    extension = "json"
    content_type = "application/json"

    def write(self, export: ReportExport, stream: BinaryIO) -> None:
        text = json.dumps(cleaned_json(export.scope.json()), ensure_ascii=False, indent=2)
        stream.write(text.encode("utf-8") + b"\n")


# --- XLSX ---------------------------------------------------------------------------------------

# A text cell starting with one of these would be run as a formula by a spreadsheet
# (=, +, - and @ start formulas; a tab or a line break can hide one). Comments are
# written by anyone invited, so every text cell is neutralised, not only comments.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

TEXT, INT, SCORE, MEAN, SHARE, CHANGE = "text", "int", "score", "mean", "share", "change"
NUMBER_FORMATS = {INT: "0", SCORE: "0.0", MEAN: "0.00", SHARE: "0.0%", CHANGE: "+0.0;-0.0;0.0"}
WIDTHS = {TEXT: 22, INT: 10, SCORE: 10, MEAN: 10, SHARE: 13, CHANGE: 10}


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as written, never as a formula: cleaned (a removed
    character must not hide a formula behind it), then an apostrophe first."""
    text = cleaned(text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


Column = tuple[str, str]  # (heading, kind)


class _Sheet:
    """One sheet: a heading row, then rows of plain values. The marker for whatever the
    gate suppressed, numbers as numbers, and every text neutralised."""

    def __init__(
        self,
        book: Any,
        title: str,
        columns: Sequence[Column],
        wide: Iterable[int] = (),
        heading: bool = True,
    ):
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet(title)
        self.kinds = [kind for _, kind in columns]
        if heading:
            self.heading([name for name, _ in columns])
            self.sheet.freeze_panes = "A2"
        for index, kind in enumerate(self.kinds, start=1):
            width = 60 if index - 1 in set(wide) else WIDTHS[kind]
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def heading(self, names: Sequence[str]) -> None:
        from openpyxl.styles import Font

        self.sheet.append([neutralised(name) for name in names])
        for cell in self.sheet[self.sheet.max_row]:
            cell.font = Font(bold=True)

    def add(self, values: Sequence[Any]) -> None:
        cells = []
        for value in values:
            if is_suppressed(value):
                value = SUPPRESSED_MARKER
            elif isinstance(value, str):
                value = neutralised(value)
            elif isinstance(value, bool):
                value = "yes" if value else ""
            cells.append(value)
        self.sheet.append(cells)
        for cell, kind in zip(self.sheet[self.sheet.max_row], self.kinds, strict=False):
            if kind in NUMBER_FORMATS and isinstance(cell.value, int | float):
                cell.number_format = NUMBER_FORMATS[kind]

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


def _item_values(row: ItemRow) -> list[Any]:
    if row.suppressed:
        return [row.code, row.text, *[{"suppressed": True}] * 7]
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


def _participation(view: Any) -> list[Any]:
    if view is None or is_suppressed(view):
        return [{"suppressed": True}] * 3
    return [view["invited"], view["responded"], view["rate"]]


class XlsxExporter:
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, export: ReportExport, stream: BinaryIO) -> None:
        # Imported here: only the spreadsheet needs openpyxl.
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        scope = export.scope
        groups = [(scope.root_label, scope.root)] + [
            (path, view) for path, view in scope.departments.items() if path != scope.within
        ]
        for build in (
            self._overview,
            self._participation,
            self._gap,
            self._heatmap,
            self._by_department,
            self._by_level,
            self._comments,
            self._words,
            self._commitments,
        ):
            build(book, export, groups)
        book.save(stream)

    def _overview(self, book: Any, export: ReportExport, groups: list) -> None:
        scope = export.scope
        root = scope.root
        sheet = _Sheet(book, "Overview", ITEM_COLUMNS, wide=[1, 8], heading=False)
        facts = [
            ("Organisation", export.round.organisation.name),
            ("Round", export.round.name),
            (
                "Report",
                "provisional: the round was still open" if export.snapshot.provisional else "final",
            ),
            ("Built at", export.built_at.strftime("%d %b %Y %H:%M %Z")),
            ("Covers", scope.root_label),
            ("Anonymity threshold", scope.data["threshold"]),
            ("Comment threshold", scope.data["comment_threshold"]),
            ("Compared with", (scope.data["previous_round"] or {}).get("name", "no earlier round")),
        ]
        if scope.is_whole:
            facts.insert(4, ("Responses", scope.data["responses"]))
        if root is not None and not is_suppressed(root) and root["checklist"]:
            facts += [
                ("Checklist score", root["checklist"]["score"]),
                ("Checklist change", root["checklist"]["change"]),
            ]
        for label, value in facts:
            sheet.add([label, value])
        sheet.add(["Marker", f"{SUPPRESSED_MARKER} {SUPPRESSED_MEANING}"])
        sheet.sheet.append([])
        sheet.heading([heading for heading, _ in ITEM_COLUMNS])
        for row in item_rows(scope, root):
            sheet.add(_item_values(row))
        if root is None or is_suppressed(root):
            sheet.add([scope.root_label, {"suppressed": True}])

    def _participation(self, book: Any, export: ReportExport, groups: list) -> None:
        scope = export.scope
        sheet = _Sheet(
            book,
            "Participation",
            [
                ("Group", TEXT),
                ("Level", TEXT),
                ("Invited", INT),
                ("Responded", INT),
                ("Rate", SHARE),
            ],
            wide=[0],
        )
        for label, view in groups:
            sheet.add([label, "All levels", *_participation(view)])
            levels = {} if view is None or is_suppressed(view) else view["levels"]
            for name in level_names(scope):
                sheet.add([label, name, *_participation(levels.get(name))])
        sheet.note(f"{SUPPRESSED_MARKER} {SUPPRESSED_MEANING}.")

    def _gap(self, book: Any, export: ReportExport, groups: list) -> None:
        scope = export.scope
        executive, front_line = gap_levels(scope)
        sheet = _Sheet(
            book,
            "Gap",
            [
                ("Group", TEXT),
                ("Code", TEXT),
                ("Question", TEXT),
                (executive or "Executive", SCORE),
                (front_line or "Front line", SCORE),
                ("Gap", CHANGE),
            ],
            wide=[0, 2],
        )
        for label, view in groups:
            if view is None or is_suppressed(view):
                continue
            for gap in view["gap"]:
                text = scope.question_by_code[gap["code"]]["text"]
                sheet.add(
                    [label, gap["code"], text, gap["executive"], gap["front_line"], gap["gap"]]
                )
        sheet.note(
            "The gap is the executives' score less the front line's, largest first; a group "
            "appears only where both levels are shown."
        )

    def _heatmap(self, book: Any, export: ReportExport, groups: list) -> None:
        scope = export.scope
        items = scope.heatmap_items
        sheet = _Sheet(
            book, "Heatmap", [("Department", TEXT)] + [(c, SCORE) for c in items], wide=[0]
        )
        for path, row in scope.heatmap.items():
            sheet.add([path, *[row.get(code) for code in items]])
        sheet.note(
            f"Scores 0–100. {SUPPRESSED_MARKER} {SUPPRESSED_MEANING}; empty: nobody scored it."
        )

    def _by_department(self, book: Any, export: ReportExport, groups: list) -> None:
        sheet = _Sheet(
            book, "Questions by department", [("Group", TEXT), *ITEM_COLUMNS], wide=[0, 2, 9]
        )
        for label, view in groups:
            rows = item_rows(export.scope, view)
            if not rows:
                sheet.add([label, {"suppressed": True}])
            for row in rows:
                sheet.add([label, *_item_values(row)])

    def _by_level(self, book: Any, export: ReportExport, groups: list) -> None:
        scope = export.scope
        sheet = _Sheet(
            book,
            "Questions by level",
            [("Group", TEXT), ("Level", TEXT), *ITEM_COLUMNS],
            wide=[0, 3, 10],
        )
        for label, view in groups:
            levels = {} if view is None or is_suppressed(view) else view["levels"]
            for name in level_names(scope):
                rows = item_rows(scope, levels.get(name))
                if not rows:
                    sheet.add([label, name, {"suppressed": True}])
                for row in rows:
                    sheet.add([label, name, *_item_values(row)])

    def _comments(self, book: Any, export: ReportExport, groups: list) -> None:
        scope = export.scope
        sheet = _Sheet(
            book,
            "Comments",
            [("Group", TEXT), ("Code", TEXT), ("Question", TEXT), ("Comment", TEXT)],
            wide=[0, 2, 3],
        )
        for label, view in groups:
            path = None if view is scope.root else label
            for group in comment_groups(scope, scope.comments(path)):
                for comment in group.comments:
                    sheet.add([label, group.code, group.text, comment])
        sheet.note(
            f"Comments are listed alphabetically, only for groups of at least "
            f"{scope.data['comment_threshold']} responses."
        )

    def _words(self, book: Any, export: ReportExport, groups: list) -> None:
        sheet = _Sheet(
            book, "Words", [("Group", TEXT), ("Word", TEXT), ("Answers using it", INT)], wide=[0]
        )
        for row in words_rows(export.scope):
            if row.words is None:
                sheet.add([row.label, {"suppressed": True}])
                continue
            for word in row.words:
                sheet.add([row.label, word["word"], word["count"]])

    def _commitments(self, book: Any, export: ReportExport, groups: list) -> None:
        commitments = export.commitments
        sheet = _Sheet(
            book,
            "Commitments",
            [
                ("What", TEXT),
                ("Who", TEXT),
                ("Due", TEXT),
                ("Status", TEXT),
                ("Made on", TEXT),
                ("Department", TEXT),
                ("Workshop", TEXT),
            ],
            wide=[0],
        )
        periods = [
            ("This round", commitments.made_from, commitments.made_until, commitments.this_round)
        ]
        if commitments.previous is not None:
            periods.append(
                (
                    f"Previous round: {commitments.previous_round.name}",
                    commitments.previous_from,
                    commitments.previous_until,
                    commitments.previous,
                )
            )
        for label, start, end, summary in periods:
            sheet.add(
                [
                    f"{label}, made {start:%d %b %Y} – {end:%d %b %Y}",
                    f"made {summary.made}, kept {summary.kept}, kept late {summary.late}, "
                    f"dropped {summary.dropped}, open {summary.open}, overdue {summary.overdue}",
                ]
            )
        for commitment in commitments.this_round.commitments:
            sheet.add(
                [
                    commitment.what,
                    commitment.who,
                    commitment.due_on,
                    commitment.get_status_display(),
                    commitment.made_on,
                    commitment.department.path if commitment.department else "",
                    commitment.workshop.name if commitment.workshop else "",
                ]
            )


# --- PDF ----------------------------------------------------------------------------------------


# Each department's part of the PDF is a summary, to keep the whole printable: its ten
# largest gaps (its page on the site lists them all).
DEPARTMENT_GAPS_PRINTED = 10


def print_context(export: ReportExport) -> dict[str, Any]:
    """The printed report: a cover, the overview of the reader's scope, each department
    they may see, and the comments and words."""
    scope = export.scope
    departments = [path for path in scope.departments if path != scope.within]
    return {
        "export": export,
        "round": export.round,
        "organisation": export.round.organisation,
        "snapshot": export.snapshot,
        "scope": scope,
        "report": group_report(scope, names=export.names, printed=True),
        "departments": [
            group_report(
                scope, path, names=export.names, printed=True, gap_limit=DEPARTMENT_GAPS_PRINTED
            )
            for path in departments
        ],
        "commitments": export.commitments,
        "comments": comment_groups(scope, scope.comments()),
        "words": words_rows(scope, limit=12),
        "within": scope.within,
        # Sections drop their links and show their tables open.
        "print": True,
    }


class PdfExporter:
    extension = "pdf"
    content_type = "application/pdf"
    template = "assessment/reports/print.html"
    stylesheet = "css/report-print.css"

    def write(self, export: ReportExport, stream: BinaryIO) -> None:
        # Imported here: WeasyPrint loads Pango when imported, which no other page needs.
        from weasyprint import CSS, HTML

        # Dates and times in the organisation's time zone, from a page or a command. The
        # markup holds no character cleaning removes, so the whole page is cleaned at once.
        with timezone.override(export.round.organisation.zone):
            html = cleaned(render_to_string(self.template, print_context(export)))
        # The stylesheet is read from disk: fetching it over HTTP from this same server
        # would tie up a worker (and deadlock a single-threaded one).
        HTML(string=html).write_pdf(
            stream, stylesheets=[CSS(filename=finders.find(self.stylesheet))]
        )


EXPORTERS: dict[str, Exporter] = {
    "json": JsonExporter(),
    "xlsx": XlsxExporter(),
    "pdf": PdfExporter(),
}
