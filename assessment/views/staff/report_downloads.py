"""The report's downloads: a page per format that starts the file (POST), shows its
progress and links to it when ready; the progress alone for htmx; the file itself.

A worker writes every file (assessment/services/report_downloads.py): no request here
does more than read a row and send bytes already stored. The file is the reader's own
scope's (a lead's holds only their subtree) and the published version's: a file of a
version since replaced is never served, even before it is deleted."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from assessment.access import READS_REPORTS, MemberRequest, reads_within, staff_view
from assessment.models import Department, DownloadFormat, ReportDownload, Round
from assessment.reporting.exports import EXPORTERS
from assessment.selectors.report_downloads import (
    report_download_current,
    report_files_storage,
    report_published_build_id,
)
from assessment.services.report_downloads import report_download_lost, report_download_request

from .reports import _round

# How often the page without JavaScript reloads itself while the file is written; htmx
# fetches the progress alone as often.
POLL_SECONDS = 2
DOWNLOAD_STARTED = "Preparing the {what}: its link appears here when it is ready."
WHAT = {DownloadFormat.XLSX: "spreadsheet", DownloadFormat.PDF: "PDF", DownloadFormat.JSON: "JSON"}


def _format(export_format: str) -> DownloadFormat:
    if export_format not in DownloadFormat.values:
        raise Http404
    return DownloadFormat(export_format)


def _file_name(round_: Round, within: Department | None, export_format: str) -> str:
    parts = ("culture-report", slugify(round_.name), within and slugify(within.path))
    return "-".join(part for part in parts if part) + f".{EXPORTERS[export_format].extension}"


def _context(
    request: MemberRequest, round_: Round, export_format: DownloadFormat
) -> dict[str, Any]:
    within = reads_within(request.membership)
    download = report_download_current(round_, within, export_format)
    return {
        "round": round_,
        "format": export_format,
        "what": WHAT[export_format],
        "download": download,
        "published": report_published_build_id(round_) is not None,
        "within": within,
        "file_name": _file_name(round_, within, export_format),
        "poll_seconds": POLL_SECONDS,
    }


@require_POST
@staff_view(*READS_REPORTS)
def report_download_start(request: MemberRequest, pk: int, export_format: str) -> HttpResponse:
    """The button: start the file (or find the one ready or being written), then its page."""
    round_ = _round(request, pk)
    format_ = _format(export_format)
    try:
        download = report_download_request(
            round_=round_, within=reads_within(request.membership), export_format=format_
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        download.refresh_from_db()  # written already where tasks run in-process (the laptop)
        if not download.is_ready:
            messages.info(request, DOWNLOAD_STARTED.format(what=WHAT[format_]))
    return redirect("reports:download", pk=round_.pk, export_format=format_)


@staff_view(*READS_REPORTS)
def report_download(request: MemberRequest, pk: int, export_format: str) -> HttpResponse:
    """The file's page: the button, the progress, the link, or why it stopped."""
    round_ = _round(request, pk)
    format_ = _format(export_format)
    context = _context(request, round_, format_)
    context["crumbs"] = [
        ("Reports", reverse("reports:list")),
        (round_.name, reverse("reports:overview", kwargs={"pk": round_.pk})),
        (f"{format_.label} download", None),
    ]
    return render(request, "assessment/reports/download.html", context)


@staff_view(*READS_REPORTS)
def report_download_progress(request: MemberRequest, pk: int, export_format: str) -> HttpResponse:
    """The file's state alone, fetched by htmx every POLL_SECONDS while it is written."""
    round_ = _round(request, pk)
    context = _context(request, round_, _format(export_format))
    return render(request, "assessment/reports/download_state.html", context)


def _serve(request: MemberRequest, pk: int, export_format: str) -> HttpResponse:
    """The stored file of the published version for this reader's scope; without one,
    the page that prepares it."""
    round_ = _round(request, pk)
    within = reads_within(request.membership)
    download: ReportDownload | None = report_download_current(round_, within, export_format)
    if download is None or not download.is_ready:
        if report_published_build_id(round_) is None:
            raise Http404
        return redirect("reports:download", pk=round_.pk, export_format=export_format)
    try:
        stored = report_files_storage().open(download.name, "rb")
    except FileNotFoundError:
        report_download_lost(download_id=download.pk)
        return redirect("reports:download", pk=round_.pk, export_format=export_format)
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=_file_name(round_, within, export_format),
        content_type=EXPORTERS[export_format].content_type,
    )
    # Another reader's scope, or the next version, is another file: never a cached one.
    response["Cache-Control"] = "private, no-store"
    # A FileResponse streams the stored file; staff_view is typed for pages, and passes
    # any response through unchanged.
    return cast(HttpResponse, response)


@staff_view(*READS_REPORTS)
def report_pdf(request: MemberRequest, pk: int) -> HttpResponse:
    return _serve(request, pk, "pdf")


@staff_view(*READS_REPORTS)
def report_xlsx(request: MemberRequest, pk: int) -> HttpResponse:
    return _serve(request, pk, "xlsx")


@staff_view(*READS_REPORTS)
def report_json(request: MemberRequest, pk: int) -> HttpResponse:
    return _serve(request, pk, "json")
