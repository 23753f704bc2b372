"""The report's pages read only their parts, and its comments and words are read a page at
a time, filtered by question, group (within what the reader may see) and words."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import (
    Level,
    LevelKind,
    PublishedComment,
    PublishedDepartment,
    ReportSnapshot,
)
from tests.support.factories import DepartmentFactory
from tests.support.report_data import Respondent, make_round, write_responses
from tests.support.report_pages import build_report, downloaded, executive, lead
from tests.support.report_pages import page_text as markup

pytestmark = pytest.mark.django_db


def crowd(department, level, size, prefix, start=0):
    return [
        Respondent(
            department=department,
            level=level,
            answers={"checklist-01": 1},
            texts={"conversation-04-words": "Clients, patrons" if n % 2 else "clients"},
            comments={
                "checklist-01": f"{prefix} on one {n + start:02d}",
                **({"checklist-02": f"{prefix} on TWO {n + start:02d}"} if n % 3 == 0 else {}),
            },
        )
        for n in range(size)
    ]


@pytest.fixture
def chatty(organisation, instruments):
    """Sales (Field 30, Desk 25), Support 20 and Legal 3 (hidden): 78 comments on
    checklist-01 and 27 on checklist-02 for the organisation; Legal's are listed there
    too, never on their own."""
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    departments = {
        "sales": sales,
        "field": DepartmentFactory(organisation=organisation, name="Field", parent=sales),
        "desk": DepartmentFactory(organisation=organisation, name="Desk", parent=sales),
        "support": DepartmentFactory(organisation=organisation, name="Support"),
        "legal": DepartmentFactory(organisation=organisation, name="Legal"),
    }
    round_ = make_round(organisation, instruments)
    people = (
        crowd(departments["field"], front, 30, "Field")
        + crowd(departments["desk"], front, 25, "Desk")
        + crowd(departments["support"], front, 20, "Support")
        + crowd(departments["legal"], front, 3, "Legal")
    )
    write_responses(round_, people)
    build_report(round_)
    return round_, departments, front


def page_text(response) -> str:
    return " ".join(markup(response).split())


def url(round_, name="comments", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"reports:{name}", kwargs={"pk": round_.pk}) + (f"?{query}" if query else "")


def listed(response) -> list[str]:
    html = response.content.decode()
    items = re.findall(r'<ul class="comment-list">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>([^<·]*?)\s*(?:<span|</li>)", items[0]) if items else []


def tables_read(client, address) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_number_pages_read_no_comment_nor_word_and_a_department_page_only_its_parts(
    chatty, organisation
):
    round_, departments, _ = chatty
    client = executive(organisation)
    pages = [
        reverse("reports:overview", kwargs={"pk": round_.pk}),
        reverse("reports:question", kwargs={"pk": round_.pk, "code": "checklist-01"}),
        reverse(
            "reports:department", kwargs={"pk": round_.pk, "department": departments["sales"].pk}
        ),
    ]
    for address in pages:
        sql = tables_read(client, address)
        assert "publishedcomment" not in sql
        assert "publishedword" not in sql
        # The snapshot row holds the organisation part only: no page reads a whole document.
        assert "publisheddepartment" in sql

    sql = tables_read(client, pages[2])
    part_queries = [q for q in sql.split("\n") if "publisheddepartment" in q]
    assert all("Sales/%" in q or "LIKE" in q for q in part_queries)


def test_the_comments_page_lists_fifty_at_a_time_in_alphabetical_order_with_counts(
    chatty, organisation
):
    round_, _, _ = chatty
    client = executive(organisation)

    first = client.get(url(round_))
    second = client.get(url(round_, page=2))

    text = page_text(first)
    assert "105 comments" in text
    assert len(listed(first)) == 50
    everything = listed(first) + listed(second) + listed(client.get(url(round_, page=3)))
    assert len(everything) == 105
    assert everything == sorted(everything, key=lambda t: (t.casefold(), t))
    assert "Legal on one 00" in everything
    assert "Page 1 of 3" in text
    # Counts per question, each a link that keeps the other filters.
    assert "(78)" in text and "(27)" in text


def test_comments_filter_by_question_department_and_words_without_javascript(chatty, organisation):
    round_, departments, _ = chatty
    client = executive(organisation)

    by_question = listed(client.get(url(round_, question="checklist-02")))
    assert len(by_question) == 27 and all("TWO" in t for t in by_question)

    desk = client.get(url(round_, department=departments["desk"].pk))
    assert "Sales/Desk: 34 comments" in page_text(desk)
    assert all(t.startswith("Desk") for t in listed(desk))

    sales = page_text(client.get(url(round_, department=departments["sales"].pk, words="two")))
    # Case-insensitive, within Sales and the departments below it.
    assert "19 comments containing “two”" in sales

    nothing = page_text(client.get(url(round_, words="nobody wrote this")))
    assert "No comments match these filters" in nothing
    assert "Clear the filters" in nothing


def test_a_hidden_department_lists_no_comment_of_its_own(chatty, organisation):
    round_, departments, _ = chatty

    response = executive(organisation).get(url(round_, department=departments["legal"].pk))

    assert "Not shown for Legal" in page_text(response)
    assert listed(response) == []


def test_a_lead_reads_only_their_subtree_and_a_tampered_department_is_a_404(chatty, organisation):
    round_, departments, _ = chatty
    client = lead(organisation, departments["sales"])

    own = client.get(url(round_, question="checklist-01"))
    texts = listed(own) + listed(client.get(url(round_, question="checklist-01", page=2)))
    assert len(texts) == 55
    assert all(t.startswith(("Field", "Desk")) for t in texts)
    options = page_text(own)
    assert "Support" not in options and "Legal" not in options

    for other in ("support", "legal"):
        assert client.get(url(round_, department=departments[other].pk)).status_code == 404
        assert client.get(url(round_, "words", department=departments[other].pk)).status_code == 404
    assert client.get(url(round_, question="no-such-question")).status_code == 404


def test_the_words_page_pages_and_filters_a_groups_words(chatty, organisation):
    round_, _, _ = chatty
    client = executive(organisation)

    whole = page_text(client.get(url(round_, "words")))
    filtered = page_text(client.get(url(round_, "words", words="PAT")))

    assert "2 words" in whole and "clients" in whole and "patrons" in whole
    assert (
        "1 word containing “PAT”" in filtered and "clients" not in filtered.split("containing")[1]
    )


def test_a_new_version_replaces_the_parts_and_the_version_before_last_is_dropped(
    chatty, organisation
):
    round_, departments, front = chatty
    client = executive(organisation)
    first = ReportSnapshot.objects.get(round=round_).build_id

    for batch in range(2):
        write_responses(round_, crowd(departments["support"], front, 10, f"Late{batch}", 50))
        build_report(round_)
    latest = ReportSnapshot.objects.get(round=round_).build_id

    assert latest != first
    # Readers go through the snapshot's build: only the newest version is read.
    text = page_text(client.get(url(round_, question="checklist-01", words="late1")))
    assert "10 comments" in text
    # The version it replaced is kept for a reader who took it an instant before; the
    # first is gone, with every part of it.
    assert not PublishedComment.objects.filter(build_id=first).exists()
    assert not PublishedDepartment.objects.filter(build_id=first).exists()
    builds = set(PublishedComment.objects.values_list("build_id", flat=True))
    assert len(builds) == 2 and latest in builds


def test_the_json_download_is_the_document_joined_from_its_parts(chatty, organisation):
    round_, _, _ = chatty

    data = downloaded(executive(organisation), round_, "json").json()

    comments = data["organisation"]["comments"]
    assert len(comments["checklist-01"]) == 78
    assert comments["checklist-01"] == sorted(comments["checklist-01"], key=str.casefold)
    assert data["departments"]["Legal"] == {"suppressed": True}
    assert len(data["departments"]["Sales"]["comments"]["checklist-01"]) == 55
