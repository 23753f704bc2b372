"""The PDF download: the report an executive prints, rendered by WeasyPrint."""

from typing import BinaryIO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from assessment.free_text import cleaned

from ..first_page import commitments_line, summary_lines
from ..heatmap import HEAT_LEGEND
from ..presentation import group_report
from ..tables import comment_groups, words_rows
from .base import ReportExport

# Each department's part of the PDF is a summary, to keep the whole printable: its ten
# largest gaps (its page on the site lists them all).
DEPARTMENT_GAPS_PRINTED = 10


def print_context(export: ReportExport) -> dict[str, object]:
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
        # Page 1: what needs attention, without links.
        "summary": summary_lines(
            scope,
            question_url=lambda code: "",
            commitments=commitments_line(export.commitments.open, export.commitments.overdue, ""),
        ),
        "heat_legend": HEAT_LEGEND,
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
