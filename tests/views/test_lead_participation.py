"""How many have answered, as a department lead sees it: their department and those below
it, through the participation page's gate; never another department's count nor the
organisation's. An executive still sees the whole organisation's."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from assessment.models import Department, Invitation, Level, LevelKind, Person, Round
from assessment.selectors.answering import round_pages
from assessment.services.answering import response_submit
from assessment.services.rounds import round_create, round_launch
from tests.support.answers import save_all_pages
from tests.support.factories import DepartmentFactory, PersonFactory, open_window
from tests.support.report_data import two_departments_answering
from tests.support.report_pages import build_report, executive, lead, page_text

pytestmark = pytest.mark.django_db

THRESHOLD = 5


def text_of(response) -> str:
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def launched_with_answers(organisation, instruments, invited: dict, submitted: dict) -> Round:
    """An open round of the checklist to the front line of each department in `invited`
    (name → how many), with `submitted` (name → how many) of them having answered."""
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    for name, count in invited.items():
        department = Department.objects.get(organisation=organisation, name=name)
        PersonFactory.create_batch(
            count, organisation=organisation, department=department, level=front
        )
    opens_at, closes_at = open_window()
    round_ = round_launch(
        round_=round_create(
            organisation=organisation,
            name="Spring round",
            purpose="Where does customer-centricity live here?",
            instruments=[i for i in instruments if i.key == "checklist"],
            opens_at=opens_at,
            closes_at=closes_at,
            threshold=THRESHOLD,
        ),
        send=False,
    )
    pages = round_pages(round_)
    for name, count in submitted.items():
        for invitation in Invitation.objects.filter(round=round_, department__name=name)[:count]:
            save_all_pages(invitation, pages)
            response_submit(invitation=invitation, pages=pages)
    return round_


@pytest.fixture
def tree(organisation) -> dict[str, Department]:
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    return {
        "operations": operations,
        "logistics": DepartmentFactory(
            organisation=organisation, name="Logistics", parent=operations
        ),
        "treasury": DepartmentFactory(organisation=organisation, name="Treasury"),
    }


def test_a_leads_dashboard_counts_their_department_and_those_below_it_only(
    organisation, instruments, tree
):
    # Operations 6 invited and 2 answered, Logistics below it 6 and 3, Treasury 7 and 4:
    # Operations with Logistics is 5 of 12, the organisation 9 of 19.
    launched_with_answers(
        organisation,
        instruments,
        invited={"Operations": 6, "Logistics": 6, "Treasury": 7},
        submitted={"Operations": 2, "Logistics": 3, "Treasury": 4},
    )

    as_lead = text_of(lead(organisation, tree["operations"]).get(reverse("dashboard")))
    as_executive = text_of(executive(organisation).get(reverse("dashboard")))

    assert "5 of 12 answered in Operations and below" in as_lead
    for elsewhere in ("9 of 19", "4 of 7", "3 of 6"):
        assert elsewhere not in as_lead
    assert as_lead.count(" answered") == 1
    assert "9 of 19 answered" in as_executive
    assert "5 of 12" not in as_executive


def test_a_lead_of_a_department_below_it_sees_that_department_alone(
    organisation, instruments, tree
):
    launched_with_answers(
        organisation,
        instruments,
        invited={"Operations": 6, "Logistics": 6, "Treasury": 7},
        submitted={"Operations": 2, "Logistics": 3, "Treasury": 4},
    )

    as_lead = text_of(lead(organisation, tree["logistics"]).get(reverse("dashboard")))

    assert "3 of 6 answered in Operations/Logistics and below" in as_lead
    for elsewhere in ("9 of 19", "5 of 12", "4 of 7"):
        assert elsewhere not in as_lead


def test_a_lead_whose_department_is_too_small_to_show_sees_no_count_not_the_organisations(
    organisation, instruments, tree
):
    audit = DepartmentFactory(organisation=organisation, name="Audit")
    launched_with_answers(
        organisation,
        instruments,
        invited={"Operations": 6, "Logistics": 6, "Treasury": 7, "Audit": THRESHOLD - 1},
        submitted={"Operations": 2, "Logistics": 3, "Treasury": 4, "Audit": 1},
    )

    as_lead = text_of(lead(organisation, audit).get(reverse("dashboard")))
    as_executive = text_of(executive(organisation).get(reverse("dashboard")))

    assert "Spring round" in as_lead
    assert "answered" not in as_lead
    assert "10 of 23 answered" in as_executive
    assert Person.objects.filter(department=audit).count() == THRESHOLD - 1


def test_a_rebuild_left_as_it_was_tells_a_lead_so_without_the_whole_rounds_count(
    organisation, instruments
):
    round_, answer = two_departments_answering(organisation, instruments, ("Sa", "Su"))
    answer(6, 6)
    build_report(round_)
    answer(3, 2)
    build_report(round_)
    sales = Department.objects.get(organisation=organisation, name="Sa")
    page = reverse("reports:department", kwargs={"pk": round_.pk, "department": sales.pk})

    as_lead = page_text(lead(organisation, sales).get(page))
    as_executive = page_text(executive(organisation).get(page))

    assert "The report was built again on" in as_lead
    assert "so it stays as it was" in as_lead
    assert "17 responses" not in as_lead
    assert "The report was built again from 17 responses on" in as_executive


def test_the_dashboard_reads_each_round_it_shows_in_the_same_few_queries(
    organisation, instruments, tree, django_assert_num_queries
):
    people = {"Operations": 6, "Logistics": 6, "Treasury": 7}
    for number in range(11):  # the dashboard shows the newest ten
        launched_with_answers(
            organisation, instruments, invited=people if number == 0 else {}, submitted={}
        )
    reading = lead(organisation, tree["operations"])
    reading.get(reverse("dashboard"))

    # The session, the user, their membership, its organisation and their department; the
    # rounds; then for each of the ten its levels, its departments (two) and its
    # invitations counted in one GROUP BY.
    with django_assert_num_queries(5 + 1 + 10 * 3):
        assert reading.get(reverse("dashboard")).status_code == 200
