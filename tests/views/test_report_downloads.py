"""The report's downloads: the JSON (whole, or a lead's part), the spreadsheet (a sheet per
view, never a formula) and the PDF (a cover, the overview, each department)."""

import pytest
from django.urls import reverse

from assessment.models import ReportDownload, ReportSnapshot, TextAnswer
from assessment.reporting.tables import SUPPRESSED_MARKER
from tests.support.report_pages import (
    build_report,
    downloaded,
    executive,
    lead,
    pdf_text,
    start_download,
    xlsx_cells,
)

pytestmark = pytest.mark.django_db

SHEETS = [
    "Overview",
    "Participation",
    "Gap",
    "Heatmap",
    "Questions by department",
    "Questions by level",
    "Comments",
    "Words",
    "Commitments",
]


def download(client, round_, export_format):
    """The button, the worker's file (in this process), then the stored file."""
    return downloaded(client, round_, export_format)


def test_the_json_is_the_snapshot_and_a_leads_is_their_part_of_it(tree, organisation):
    round_, departments = tree
    snapshot = build_report(round_)

    whole = download(executive(organisation), round_, "json")
    part = download(lead(organisation, departments["operations"]), round_, "json")

    assert whole["Content-Type"] == "application/json"
    assert whole["Content-Disposition"] == 'attachment; filename="culture-report-spring-round.json"'
    assert whole.json() == snapshot.data
    data = part.json()
    assert part["Content-Disposition"] == (
        'attachment; filename="culture-report-spring-round-operations.json"'
    )
    assert data["scope"] == "Operations"
    assert data["organisation"] is None
    assert data["responses"] is None
    assert sorted(data["departments"]) == [
        "Operations",
        "Operations/Logistics",
        "Operations/Warehouse",
    ]
    assert sorted(data["heatmap"]["departments"]) == sorted(data["departments"])
    assert data["departments"]["Operations"] == snapshot.data["departments"]["Operations"]
    assert data["questions"] == snapshot.data["questions"]


def test_the_spreadsheet_has_a_sheet_per_view_the_marker_and_never_a_formula(tree, organisation):
    round_, departments = tree
    # Anyone invited can write a comment; a spreadsheet must show each as written. Four of
    # Logistics' comments, a group large enough for its comments to be shown.
    logistics = TextAnswer.objects.filter(
        round=round_, is_comment=True, department=departments["logistics"]
    )
    for text, start in zip(
        ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"],
        logistics.order_by("text"),
        strict=False,
    ):
        start.text = text
        start.save(update_fields=["text"])
    build_report(round_)

    response = download(executive(organisation), round_, "xlsx")
    sheets = xlsx_cells(response.content)

    assert response["Content-Disposition"] == (
        'attachment; filename="culture-report-spring-round.xlsx"'
    )
    assert list(sheets) == SHEETS
    comments = [row[3] for row in sheets["Comments"][1:] if row[3]]
    for written in ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"]:
        assert f"'{written}" in comments
    every_text = [
        value for rows in sheets.values() for row in rows for value in row if isinstance(value, str)
    ]
    assert not [text for text in every_text if text.startswith(("=", "+", "-", "@"))]
    heatmap = {row[0]: row[1:] for row in sheets["Heatmap"][1:] if row[0]}
    assert set(heatmap["Compliance"][:1]) == {SUPPRESSED_MARKER}
    # checklist-01 in Operations: 17 Yes and 11 No.
    assert heatmap["Operations"][0] == 60.7
    participation = {(row[0], row[1]): row[2:] for row in sheets["Participation"][1:] if row[0]}
    assert participation[("Whole organisation", "All levels")] == [50, 46, 0.92]
    assert participation[("Compliance", "All levels")] == [SUPPRESSED_MARKER] * 3


def test_a_leads_spreadsheet_holds_their_departments_only(tree, organisation):
    round_, departments = tree
    build_report(round_)

    sheets = xlsx_cells(
        download(lead(organisation, departments["operations"]), round_, "xlsx").content
    )

    text = "\n".join(str(value) for rows in sheets.values() for row in rows for value in row)
    assert "Operations/Logistics" in text
    for other in ("Treasury", "treasury says", "Compliance", "Whole organisation"):
        assert other not in text


def test_the_pdf_has_a_cover_the_overview_and_each_department(tree, organisation):
    round_, _ = tree
    snapshot = build_report(round_)

    response = download(executive(organisation), round_, "pdf")
    text = pdf_text(response.content)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="culture-report-spring-round.pdf"'
    )
    assert "Culture report" in text
    assert "Final built after the round closed." in " ".join(text.split())
    assert f"Responses {snapshot.response_count}" in " ".join(text.split())
    for heading in ("Operations/Logistics", "Operations/Warehouse", "Treasury", "Compliance"):
        assert heading in text
    assert "Page 1 of" in text
    assert "The stands and the arena" in text
    assert "Heatmap" in text
    assert "Comments and stories" in text


def test_a_report_not_built_yet_has_nothing_to_download(tree, organisation):
    round_, _ = tree
    client = executive(organisation)

    for export_format in ("pdf", "xlsx", "json"):
        started = start_download(client, round_, export_format)
        assert started.status_code == 302
        page = client.get(started["Location"])
        assert "there is nothing to download" in page.content.decode()
        url = reverse(f"reports:{export_format}", kwargs={"pk": round_.pk})
        assert client.get(url).status_code == 404
    assert not ReportSnapshot.objects.exists()
    assert not ReportDownload.objects.exists()
