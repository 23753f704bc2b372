"""The downloads of an organisation whose every typed field holds a payload
(tests/support/xss_corpus.py): the report's and the workshops' PDFs show each payload as
literal text and carry no JavaScript, and the JSON is served as JSON."""

import json
import re
import zlib

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from django.urls import reverse

from assessment.models import Role
from tests.support.report_pages import downloaded, pdf_text, reader
from tests.support.xss_corpus import PASSWORD, PLANTS, TEXTS, Site, plant_site, squashed


@pytest.fixture
def site(organisation, instruments) -> Site:
    return plant_site(organisation, password=PASSWORD)


JAVASCRIPT = re.compile(rb"/(?:JS|JavaScript|Launch)(?![A-Za-z0-9])|/URI\s*\(\s*javascript:", re.I)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_javascript(content: bytes) -> list[bytes]:
    """JavaScript a PDF could run: as PDFium counts it, and any script action, looked for
    in the file and inside every compressed stream (object streams hide dictionaries)."""
    document = pypdfium2.PdfDocument(content)
    try:
        found = [b"document JavaScript"] * pdfium.FPDFDoc_GetJavaScriptActionCount(document.raw)
    finally:
        document.close()
    parts = [content]
    for stream in STREAM.findall(content):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue  # not deflated: already searched as part of the file
    return found + [match for part in parts for match in JAVASCRIPT.findall(part)]


IN_THE_REPORT_PDF = [
    "organisation",
    "round",
    "department",
    "team",
    "front line",
    "manager",
    "instrument",
    "question",
    "multi question",
    "multi choice",
    "scale question",
    "text question",
    "what",
    "who",
]
IN_A_SUMMARY_PDF = [
    "organisation",
    "round",
    "department",
    "front line",
    "manager",
    "instrument",
    "question",
    "yes",
    "no",
    "multi question",
    "scale question",
    "text question",
    "what",
    "who",
]
# The room's comments on the wall: its first step of the comment threshold (3).
ON_THE_WALL = TEXTS[:3]


@pytest.mark.django_db
def test_the_pdfs_show_every_payload_as_text_and_carry_no_javascript(site):
    admin = reader(site.organisation, Role.ADMIN)
    report = downloaded(admin, site.round, "pdf")
    summaries = [
        admin.get(reverse("workshops:summary-pdf", kwargs={"pk": room.pk}))
        for room in (site.workshop, site.live)
    ]
    for pdf in (report, *summaries):
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf_javascript(pdf.content) == []
    in_report = squashed(pdf_text(report.content))
    for field in IN_THE_REPORT_PDF:
        assert squashed(PLANTS[field]) in in_report, field
    for text in TEXTS:
        assert squashed(text) in in_report, text
    for summary, name in zip(summaries, ("workshop", "live workshop"), strict=True):
        shown = squashed(pdf_text(summary.content))
        for field in (name, *IN_A_SUMMARY_PDF):
            assert squashed(PLANTS[field]) in shown, field
        for text in ON_THE_WALL:
            assert squashed(text) in shown, text
    # The JSON is served as JSON, never as a page a browser would draw.
    data = downloaded(admin, site.round, "json")
    assert data["Content-Type"] == "application/json"
    assert data["X-Content-Type-Options"] == "nosniff"
    assert PLANTS["round"] in json.dumps(data.json(), ensure_ascii=False)
