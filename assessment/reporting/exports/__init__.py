"""The files a published report is downloaded as. Each format is an exporter that writes a
`ReportExport` (a snapshot as one reader may see it) to a binary stream: the JSON is the
snapshot itself, or a lead's part of it (docs/report-json.md); the spreadsheet has one
sheet per view; the PDF is the report an executive prints.

Like the pages, every exporter reads the scope, never the snapshot directly. Every text an
exporter writes is cleaned (assessment/free_text.py), whenever it was stored: one character
a format refuses would otherwise fail the whole file for every reader.

The package: `base` (what an export holds, and what an exporter is), `json_export`,
`cells` (a spreadsheet's sheets and cells), `xlsx` (the sheets of the spreadsheet) and
`pdf`."""

from .base import Exporter, ReportExport, report_export
from .cells import neutralised
from .json_export import JsonExporter
from .pdf import DEPARTMENT_GAPS_PRINTED, PdfExporter, print_context
from .xlsx import XlsxExporter

EXPORTERS: dict[str, Exporter] = {
    "json": JsonExporter(),
    "xlsx": XlsxExporter(),
    "pdf": PdfExporter(),
}

__all__ = [
    "DEPARTMENT_GAPS_PRINTED",
    "EXPORTERS",
    "Exporter",
    "JsonExporter",
    "PdfExporter",
    "ReportExport",
    "XlsxExporter",
    "neutralised",
    "print_context",
    "report_export",
]
