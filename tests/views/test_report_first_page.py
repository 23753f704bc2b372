"""The first page an executive reads: what needs attention, in sentences that name only
groups the report shows; the heatmap's hidden rows say why without saying which group is
the small one; the heatmap's level filter works without script."""

import re

import pytest
from django.urls import reverse

from assessment.models import Level, LevelKind
from assessment.reporting.heatmap import PROTECTS_A_SMALLER_GROUP, TOO_FEW_INVITED
from tests.support.factories import DepartmentFactory
from tests.support.report_data import Respondent, make_round, write_responses
from tests.support.report_pages import build_report, executive, page_text

pytestmark = pytest.mark.django_db


def _crowd(department, level, values):
    return [
        Respondent(department=department, level=level, answers={"checklist-01": v}) for v in values
    ]


@pytest.fixture
def yard_beside_logistics(organisation, instruments):
    """Sales 40 (scores 75), Logistics 9 (72.2) and Yard 3 (66.7) below Operations: Yard
    has too few invited, and Logistics is hidden so that Operations less Logistics does
    not give Yard away."""
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    logistics = DepartmentFactory(organisation=organisation, name="Logistics", parent=operations)
    yard = DepartmentFactory(organisation=organisation, name="Yard", parent=operations)
    round_ = make_round(organisation, instruments)
    write_responses(
        round_,
        _crowd(sales, front, [1] * 30 + [3] * 10)
        + _crowd(logistics, front, [1] * 5 + [2] * 3 + [3])
        + _crowd(yard, front, [1, 2, 2]),
    )
    build_report(round_)
    return round_


def _section(html: str, css_class: str) -> str:
    found = re.search(rf'<section class="{css_class}".*?</section>', html, re.S)
    assert found, css_class
    return found.group(0)


def test_the_summary_leads_the_overview_and_names_no_hidden_group(
    organisation, yard_beside_logistics
):
    url = reverse("reports:overview", kwargs={"pk": yard_beside_logistics.pk})

    html = executive(organisation).get(url).content.decode()

    summary = _section(html, "report-summary")
    assert html.index("What needs attention") < html.index('id="participation-')
    assert "Strongest department" in summary and "Weakest department" in summary
    assert "Sales" in summary and "Operations" in summary
    assert "Yard" not in summary and "Logistics" not in summary
    assert "commitments open" in summary
    for hidden in ("72.2", "66.7"):
        assert hidden not in summary


def test_a_hidden_heatmap_row_says_why_without_a_number(organisation, yard_beside_logistics):
    url = reverse("reports:overview", kwargs={"pk": yard_beside_logistics.pk})

    html = executive(organisation).get(url).content.decode()

    # The checklist's table, the first: the only item anyone answered is on it.
    heatmap = _section(html, 'report-section" aria-labelledby="heatmap-none').split("<table")[1]
    rows = {
        name: row
        for row in re.findall(r"<tr.*?</tr>", heatmap, re.S)
        if (name := next((n for n in ("Yard", "Logistics", "Sales") if f">{n}<" in row), None))
    }
    assert f"({TOO_FEW_INVITED})" in rows["Yard"]
    assert f"({PROTECTS_A_SMALLER_GROUP})" in rows["Logistics"]
    assert "72.2" not in rows["Logistics"] and "66.7" not in rows["Yard"]
    # Sales is shown, with its difference from the organisation's score on top.
    assert "75.0" in rows["Sales"] and "heat-diff" in rows["Sales"]


def test_the_heatmap_shows_one_level_and_says_so_of_a_level_it_does_not_know(
    organisation, yard_beside_logistics
):
    url = reverse("reports:overview", kwargs={"pk": yard_beside_logistics.pk})
    client = executive(organisation)

    one = page_text(client.get(url, {"level": "Front line"}))
    unknown = page_text(client.get(url, {"level": "Nobody"}))

    assert "Front line only" in one
    assert "There is no level called “Nobody”: every level is shown." in unknown
    assert "Front line only" not in unknown
