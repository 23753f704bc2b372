"""Helpers for tests of the report's pages and downloads: a report built in the test's own
transaction, signed-in readers of each role, and the text of every view and export."""

import io
import json
import re
import time
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import quote, urlsplit

import pypdfium2
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import resolve, reverse
from openpyxl import load_workbook

from assessment.models import (
    Department,
    Membership,
    Organisation,
    ReportBuild,
    ReportSnapshot,
    Role,
    Round,
)
from assessment.services.reports import report_build_merge, report_build_start, report_part_compute


def build_report(round_: Round) -> ReportSnapshot:
    """Build the round's report step by step, as the workers would, in this transaction."""
    build = report_build_start(round_=round_)
    for part in build.parts.all():
        report_part_compute(part_id=part.pk)
    report_build_merge(build_id=build.pk)
    assert ReportBuild.objects.get(pk=build.pk).status == "done"
    return ReportSnapshot.objects.get(round=round_)


def reader(organisation: Organisation, role: str, department: Department | None = None) -> Client:
    """A signed-in client of one role (a lead of `department`)."""
    user = get_user_model().objects.create_user(
        username=f"{role}-{department.pk if department else 'all'}-{organisation.slug}",
        password="pw",
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=role, department=department
    )
    client = Client()
    client.force_login(user)
    return client


def executive(organisation: Organisation) -> Client:
    return reader(organisation, Role.EXECUTIVE)


def lead(organisation: Organisation, department: Department) -> Client:
    return reader(organisation, Role.DEPARTMENT_LEAD, department)


@dataclass(frozen=True)
class Download:
    """A stored file as the reader received it: the response's headers and its bytes."""

    response: Any
    content: bytes

    @property
    def status_code(self) -> int:
        return self.response.status_code

    def __getitem__(self, header: str) -> str:
        return self.response[header]

    def get(self, header: str, default: str | None = None) -> str | None:
        return self.response.get(header, default)

    def json(self) -> Any:
        return json.loads(self.content)


def start_download(client: Client, round_: Round, export_format: str) -> Any:
    """The reader's click on a download's button: the worker's task runs in this process
    (tests run Celery eagerly) once the request's transaction has committed."""
    url = reverse(
        "reports:download-start", kwargs={"pk": round_.pk, "export_format": export_format}
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url)


def downloaded(client: Client, round_: Round, export_format: str) -> Download:
    """A download as a reader gets it: the button, the worker's file, then the file."""
    start_download(client, round_, export_format)
    url = reverse(f"reports:{export_format}", kwargs={"pk": round_.pk})
    # In-process the file is there at once; a real worker (`celery_worker`) takes a moment.
    deadline = time.monotonic() + WORKER_TIMEOUT
    while (response := client.get(url)).status_code == 302 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return Download(response, b"".join(response.streaming_content))


FILES = ("reports:pdf", "reports:xlsx", "reports:json")
WORKER_TIMEOUT = 120  # seconds


def opened(client: Client, url: str) -> Any:
    """A GET as a reader makes it: a report's file is prepared first (its button), then
    read whole; any other address is simply opened."""
    match = resolve(urlsplit(url).path)
    if match.view_name not in FILES:
        return client.get(url)
    round_ = Round.objects.get(pk=match.kwargs["pk"])
    return downloaded(client, round_, match.view_name.removeprefix("reports:"))


def page_text(response) -> str:
    """A page as a person reads it, and as its markup holds it: the visible text and the
    attributes (chart labels, titles), so that nothing hidden is overlooked."""
    html = response.content.decode()
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return f"{text}\n{unescape(html)}"


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as PDFium (Chromium's PDF engine) reads it."""
    document = pypdfium2.PdfDocument(content)
    try:
        return [page.get_textpage().get_text_bounded().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages(content))


def xlsx_cells(content: bytes) -> dict[str, list[list]]:
    """Every sheet's rows of cell values."""
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def xlsx_text(content: bytes) -> str:
    return "\n".join(
        "\t".join("" if value is None else str(value) for value in row)
        for rows in xlsx_cells(content).values()
        for row in rows
    )


def every_output(client: Client, round_: Round) -> dict[str, str]:
    """The text of every page and download a reader can open for the round: the overview
    (or where it sends them) and each department they may open (with their heatmap at
    every level, and at each level alone), each question, the comments and words of each
    group, the PDF, the spreadsheet and the JSON."""
    outputs: dict[str, str] = {}

    def get(name: str, url: str) -> None:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.status_code == 200:
            outputs[name] = page_text(response)

    pk = round_.pk
    snapshot = ReportSnapshot.objects.get(round=round_)
    # The heatmap at every level, and at none: each is a page of its own.
    levels = ["", *(f"?level={quote(lv['name'])}" for lv in snapshot.data["levels"])]
    for level in levels:
        get(f"overview{level}", reverse("reports:overview", kwargs={"pk": pk}) + level)
    for department in Department.objects.filter(organisation=round_.organisation):
        for level in levels:
            get(
                f"department {department.path}{level}",
                reverse("reports:department", kwargs={"pk": pk, "department": department.pk})
                + level,
            )
        for listing in ("comments", "words"):
            get(
                f"{listing} {department.path}",
                reverse(f"reports:{listing}", kwargs={"pk": pk}) + f"?department={department.pk}",
            )
    get("comments", reverse("reports:comments", kwargs={"pk": pk}))
    get("words", reverse("reports:words", kwargs={"pk": pk}))
    snapshot = ReportSnapshot.objects.get(round=round_)
    for question in snapshot.data["questions"]:
        get(
            f"question {question['code']}",
            reverse("reports:question", kwargs={"pk": pk, "code": question["code"]}),
        )
    outputs["pdf"] = pdf_text(downloaded(client, round_, "pdf").content)
    outputs["xlsx"] = xlsx_text(downloaded(client, round_, "xlsx").content)
    outputs["json"] = json.dumps(downloaded(client, round_, "json").json(), ensure_ascii=False)
    return outputs
