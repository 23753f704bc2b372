"""The PDF download: the report an executive prints, rendered by WeasyPrint as a tagged
PDF (PDF/UA-1) that a screen reader can follow.

`pdf_write` is the one way a PDF is made, whoever asks for it (the download, the command,
a worker): a reader's `ReportExport` in, the file's bytes written to a stream. It stays
readable at any size: each department is a summary, and the comments are capped per
question, with the count of the rest and where to read them all."""

import ctypes
import ctypes.util
import gc
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, BinaryIO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from assessment.free_text import cleaned
from assessment.selectors.report_parts import report_comments_first

from ..first_page import commitments_line, summary_lines
from ..heatmap import HEAT_LEGEND
from ..parts import ORGANISATION_PATH, comment_counts
from ..presentation import GroupReport, group_report
from ..tables import ItemRow, words_rows
from ..views import shown
from .base import ReportExport

if TYPE_CHECKING:
    from weasyprint import HTML

TEMPLATE = "assessment/reports/print.html"
STYLESHEET = "css/report-print.css"
# Each department's part of the PDF is a summary, to keep the whole printable: its ten
# largest gaps (its page on the site lists them all).
DEPARTMENT_GAPS_PRINTED = 10
# A department's strongest and weakest items printed in its summary, of each.
EXTREMES_PRINTED = 5
# The comments printed per question, in the report's order; the rest are counted, and the
# report's comments page and the spreadsheet list them all. 25 of each of a round's ten
# text questions is about ten pages, whether 300 or 180,000 were written.
COMMENTS_PRINTED = 25
# WeasyPrint's own stylesheet gives every element pseudo-elements this report never draws:
# a ::marker (only a list item has one) and the calls and markers of footnotes and notes
# (it has none). Each is a computed style of its own, six for every element of the markup,
# kept until the pages are written: at 100,000 people some 60,000 styles and about 110 MiB
# of the worker's peak. The PDF's stylesheet of the browser gives a marker to `li` only.
UNIVERSAL_PSEUDO = re.compile(r"^::([a-z-]+) \{[^}]*\}", re.MULTILINE)


@dataclass(frozen=True)
class PrintedDepartment:
    """A department's part of the PDF: its summary, and the id its heading carries."""

    anchor: str
    depth: int  # below the scope's root, for the contents
    report: GroupReport

    @property
    def strongest(self) -> list[ItemRow]:
        return _scored(self.report, highest=True)[:EXTREMES_PRINTED]

    @property
    def weakest(self) -> list[ItemRow]:
        """The lowest scores, none of them already among the strongest."""
        strongest = {row.code for row in self.strongest}
        rows = _scored(self.report, highest=False)
        return [row for row in rows if row.code not in strongest][:EXTREMES_PRINTED]

    @property
    def extremes(self) -> list[tuple[str, list[ItemRow]]]:
        return [("Strongest", self.strongest), ("Weakest, lowest first", self.weakest)]

    @property
    def name(self) -> str:
        """As the contents list it: below another department, indented, its own name."""
        return self.report.label.rsplit("/", 1)[-1] if self.depth else self.report.label


def _scored(report: GroupReport, *, highest: bool) -> list[ItemRow]:
    """The group's shown items that have a score, by score (ties in the order asked)."""
    scored = [
        (row.score, row)
        for section in report.sections
        for row in section.rows
        if not row.suppressed and row.score is not None
    ]
    ordered = sorted(scored, key=lambda pair: -pair[0] if highest else pair[0])
    return [row for _, row in ordered]


@dataclass(frozen=True)
class PrintedComments:
    """One question's comments as printed: the first few, and how many there are."""

    code: str
    text: str
    comments: tuple[str, ...]
    total: int

    @property
    def rest(self) -> int:
        return self.total - len(self.comments)


def printed_comments(export: ReportExport, limit: int = COMMENTS_PRINTED) -> list[PrintedComments]:
    """The root group's comments by question in the order asked: at most `limit` of each,
    in the order the version keeps them (never by time or person), with the count of all.
    Only those printed are read (by SQL), whether the scope holds every text or not."""
    scope = export.scope
    counts = comment_counts(scope.root)
    if not counts:
        return []
    group = ORGANISATION_PATH if scope.within is None else scope.within
    first = report_comments_first(export.snapshot, group, counts, limit)
    return [
        PrintedComments(
            code=question["code"],
            text=question["text"],
            comments=tuple(first.get(question["code"], ())),
            total=counts[question["code"]],
        )
        for question in scope.questions
        if counts.get(question["code"])
    ]


def _departments(
    export: ReportExport,
) -> tuple[list[PrintedDepartment], list[str]]:
    """The departments the reader may see, below the scope's root: those shown, each a
    summary, and the names of those the gate hides (listed, never given a page)."""
    scope = export.scope
    top = 0 if scope.within is None else scope.within.count("/") + 1
    shown_parts: list[PrintedDepartment] = []
    hidden: list[str] = []
    for path in scope.departments:
        if path == scope.within:
            continue
        if shown(scope.department(path)) is None:
            hidden.append(path)
            continue
        report = group_report(
            scope, path, names=export.names, printed=True, gap_limit=DEPARTMENT_GAPS_PRINTED
        )
        anchor = f"department-{len(shown_parts) + 1}"
        shown_parts.append(PrintedDepartment(anchor, path.count("/") - top, report))
    return shown_parts, hidden


def print_context(export: ReportExport) -> dict[str, object]:
    """The printed report: a cover, the contents, the overview of the reader's scope, a
    summary of each department they may see, and the comments and words."""
    scope = export.scope
    departments, not_shown = _departments(export)
    return {
        "export": export,
        "round": export.round,
        "organisation": export.round.organisation,
        "snapshot": export.snapshot,
        "scope": scope,
        "report": group_report(scope, names=export.names, printed=True),
        "departments": departments,
        "departments_not_shown": not_shown,
        "commitments": export.commitments,
        # Page 1: what needs attention, without links.
        "summary": summary_lines(
            scope,
            question_url=lambda code: "",
            commitments=commitments_line(export.commitments.open, export.commitments.overdue, ""),
        ),
        "heat_legend": HEAT_LEGEND,
        "comments": printed_comments(export, COMMENTS_PRINTED),
        "comments_printed": COMMENTS_PRINTED,
        "words": words_rows(scope, limit=12),
        "within": scope.within,
        # Sections drop their links and show their tables open.
        "print": True,
    }


def pdf_write(export: ReportExport, stream: BinaryIO) -> None:
    """Write the PDF of `export` (one reader's scope of a published version) to `stream`.
    A caller that hands the export over without keeping it (as the download's worker
    does) has it let go before the pages are laid out, the worker's peak."""
    html = pdf_html(export)
    del export
    pdf_render(html, stream)


def pdf_html(export: ReportExport) -> str:
    """The printed report's markup, every text cleaned. A worker short of memory keeps
    this and lets the report go before `pdf_render`: the layout of the pages is the
    worker's peak, and grows on top of whatever is still held."""
    # Dates and times in the organisation's time zone, from a page, a command or a worker.
    # The markup holds no character cleaning removes, so the whole page is cleaned at once.
    with timezone.override(export.round.organisation.zone):
        return cleaned(render_to_string(TEMPLATE, print_context(export)))


def user_agent_css(text: str) -> str:
    """WeasyPrint's stylesheet for HTML with its rules for every element's pseudo-elements
    (UNIVERSAL_PSEUDO) narrowed: a list item's ::marker kept, footnotes' and notes' gone."""

    def narrowed(rule: re.Match[str]) -> str:
        return f"li{rule.group(0)}" if rule.group(1) == "marker" else ""

    return UNIVERSAL_PSEUDO.sub(narrowed, text)


@cache
def _report_html() -> type["HTML"]:
    """WeasyPrint's HTML, laid out with `user_agent_css` (the hook WeasyPrint's own tests
    use to give a document another stylesheet of the browser)."""
    # Imported here: WeasyPrint loads Pango when imported, which no other page needs.
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    # Its counter styles are WeasyPrint's already: parsed again into a throwaway set, so
    # that they are not defined twice.
    stylesheet = CSS(string=user_agent_css(UA), counter_style=CounterStyle())

    class ReportHTML(HTML):  # type: ignore[misc]  # WeasyPrint has no type hints
        def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
            return [stylesheet]

    return ReportHTML


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, found once (find_library asks ldconfig); None elsewhere."""
    libc = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None


def _let_go() -> None:
    """Collect what the step before left and give the freed memory back to the system,
    so that the next step grows from what is still in use (glibc keeps freed memory)."""
    gc.collect()
    if trim := _malloc_trim():
        trim(0)


def pdf_render(html: str, stream: BinaryIO) -> None:
    """Lay out `html` (from pdf_html) and write the PDF to `stream`."""
    from weasyprint import CSS

    _let_go()
    # The stylesheet is read from disk: fetching it over HTTP from this same server would
    # tie up a worker (and deadlock a single-threaded one). PDF/UA-1 tags the structure
    # (headings, lists, tables, figures, the links of the contents) with the page's
    # language and title, so that a screen reader can read the file.
    document = _report_html()(string=html).render(
        stylesheets=[CSS(filename=finders.find(STYLESHEET))], pdf_variant="pdf/ua-1"
    )
    _let_go()
    document.write_pdf(stream, pdf_variant="pdf/ua-1")


class PdfExporter:
    extension = "pdf"
    content_type = "application/pdf"
    # The numbers only: the comments it prints, the first few of each question, are read
    # by SQL (printed_comments), not the version's every comment.
    texts = False

    # pdf_write itself, not a method calling it: a frame of this class's would hold the
    # export through the layout.
    write = staticmethod(pdf_write)
