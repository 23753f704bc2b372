"""Frozen at launch: participation pages never put a person beside whether they have
answered and hide every unit with fewer invited than the threshold (and any unit that
would give it away); thresholds only go up; and roster edits after launch leave the
report, as a real worker builds it again, identical byte for byte."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from assessment.models import (
    Department,
    Instrument,
    Invitation,
    Organisation,
    Person,
    ReportBuild,
    ReportBuildStatus,
    ReportSnapshot,
    Round,
)
from assessment.reporting.tables import SUPPRESSED_MARKER
from assessment.selectors.answering import round_pages
from assessment.services.answering import draft_page_save, response_submit
from assessment.services.reports import report_build_start
from assessment.services.roster_import import roster_import
from assessment.services.rounds import round_close, round_launch
from tests.fixtures.worker import build_ended
from tests.support.answers import save_all_pages
from tests.support.factories import round_for_people
from tests.support.roster_files import csv_file

THRESHOLD = 5
# Invited per department, and how many of them have submitted and only started.
UNITS = {"Sales": (8, 3, 2), "Support": (6, 2, 0), "Legal": (2, 1, 1)}
STAFF = ("admin", "facilitator", "executive", "lead", "other_admin", "anonymous")
RUNS_ROUNDS = ("admin", "facilitator")


def launched(
    organisation: Organisation,
    instruments: list[Instrument],
    units: dict[str, tuple[int, int, int]] = UNITS,
) -> Round:
    """An open round of the checklist, launched to the front line of `units`, with some
    of each unit submitted and some only started."""
    round_ = round_launch(
        round_=round_for_people(
            organisation,
            [i for i in instruments if i.key == "checklist"],
            {name: invited for name, (invited, _, _) in units.items()},
            threshold=THRESHOLD,
            name="Spring round",
            purpose="Where does customer-centricity live here?",
        ),
        send=False,
    )
    pages = round_pages(round_)
    for name, (_, submitted, started) in units.items():
        invitations = list(
            Invitation.objects.filter(round=round_, department__name=name).order_by("pk")
        )
        for invitation in invitations[:submitted]:
            save_all_pages(invitation, pages)
            response_submit(invitation=invitation, pages=pages)
        for invitation in invitations[submitted : submitted + started]:
            draft_page_save(invitation=invitation, section=pages[0], data={}, complete=False)
    return round_


@pytest.fixture
def participation_round(organisation, instruments) -> Round:
    return launched(organisation, instruments)


class TableRows(HTMLParser):
    """Each table row's cells as a reader sees them: the screen readers' "not shown"
    beside a marker left out, so that a suppressed cell reads as the marker alone."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif self._hidden or ("class", "visually-hidden") in attrs:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is None:
            return
        if self._hidden:
            assert data == "not shown", data
        else:
            self._cell.append(data)


def table_of(body: str) -> dict[str, list[str]]:
    parser = TableRows()
    parser.feed(body)
    header, *rows = parser.rows
    assert header[:5] == ["Department", "Invited", "Started", "Submitted", "Rate"]
    return {row[0]: row[1:] for row in rows}


def pages_of(round_: Round) -> dict[str, tuple[str, dict[str, str]]]:
    """Every page that says who has answered: name → (address, headers)."""
    pk = {"pk": round_.pk}
    return {
        "dashboard": (reverse("dashboard"), {}),
        "rounds": (reverse("rounds:list"), {}),
        "round": (reverse("rounds:detail", kwargs=pk), {}),
        "participation": (reverse("rounds:participation", kwargs=pk), {}),
        "participation table": (reverse("rounds:participation-table", kwargs=pk), {}),
        # The fragment the page fetches every few seconds.
        "participation table (htmx)": (
            reverse("rounds:participation-table", kwargs=pk),
            {"HX-Request": "true", "HX-Target": "participation"},
        ),
    }


def people_of(organisation: Organisation) -> list[str]:
    return [
        text
        for name, email in Person.objects.filter(organisation=organisation).values_list(
            "name", "email"
        )
        for text in (name, email, email.split("@")[0])
    ]


@pytest.mark.django_db
def test_no_participation_page_names_anyone_to_any_role(staff, participation_round, organisation):
    people = people_of(organisation)
    assert len(people) == 3 * 16
    opened = set()
    for role in STAFF:
        for name, (url, headers) in pages_of(participation_round).items():
            response = staff[role].get(url, headers=headers, follow=True)
            body = response.content.decode()
            named = [text for text in people if text in body]
            assert named == [], (role, name)
            if response.status_code == 200 and role != "anonymous":
                opened.add((role, name))
    # Those who run rounds open every page; the others only the dashboard, and another
    # organisation's admin only their own organisation's lists.
    assert opened == {
        (role, name) for role in RUNS_ROUNDS for name in pages_of(participation_round)
    } | {("executive", "dashboard"), ("lead", "dashboard")} | {
        ("other_admin", "dashboard"),
        ("other_admin", "rounds"),
    }


@pytest.mark.django_db
def test_a_unit_of_fewer_than_the_threshold_invited_shows_only_the_marker_and_so_does_its_cover(
    staff, participation_round
):
    marker = [SUPPRESSED_MARKER] * 5  # invited, started, submitted, rate, front line
    for role in RUNS_ROUNDS:
        for name in ("participation", "participation table", "participation table (htmx)"):
            url, headers = pages_of(participation_round)[name]
            rows = table_of(staff[role].get(url, headers=headers).content.decode())
            assert rows == {
                "Whole organisation": ["16", "9", "6", "38%", "38% (6/16)"],
                "Sales": ["8", "5", "3", "38%", "38% (3/8)"],
                # Legal has two invited: hidden. Support beside it goes too, or the
                # whole organisation less Sales would give Legal's numbers away.
                "Legal": marker,
                "Support": marker,
            }, (role, name)


@pytest.mark.django_db
def test_a_threshold_lowered_after_launch_is_refused_and_one_raised_hides_more(
    staff, participation_round
):
    edit = reverse("rounds:edit", kwargs={"pk": participation_round.pk})
    url, _ = pages_of(participation_round)["participation table"]
    before = staff["facilitator"].get(url).content

    lowered = staff["facilitator"].post(
        edit, {"name": "Spring round", "threshold": 3, "comment_threshold": 10}, follow=True
    )
    assert "Thresholds cannot be lowered after launch" in lowered.content.decode()
    # At 3, Support's six would have come back; still hidden.
    assert staff["facilitator"].get(url).content == before

    staff["facilitator"].post(
        edit, {"name": "Spring round", "threshold": 9, "comment_threshold": 10}
    )
    participation_round.refresh_from_db()
    assert participation_round.threshold == 9
    rows = table_of(staff["facilitator"].get(url).content.decode())
    assert rows["Whole organisation"][0] == "16"
    assert rows["Sales"] == rows["Support"] == rows["Legal"] == [SUPPRESSED_MARKER] * 5


def final_report(round_: Round, build: ReportBuild | None = None) -> bytes:
    """Wait for the worker to publish the round's report; its data, byte for byte, with
    the moment it was built left out (a rebuild is, by definition, later)."""
    done = build_ended(round_, build=build, timeout=60)
    assert done.status == ReportBuildStatus.DONE, done.error
    data = ReportSnapshot.objects.get(round=round_).data
    assert data["provisional"] is False
    del data["built_at"]
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode()


def roster_row(person: Person, **changes: str) -> tuple[str, str, str, str]:
    row = {
        "name": person.name,
        "email": person.email,
        "department": person.department.path,
        "level": person.level.name,
    }
    return tuple((row | changes).values())


@pytest.mark.worker
def test_roster_edits_after_launch_leave_the_report_byte_identical(
    celery_worker, organisation, instruments, staff
):
    # Legal's one response and Marketing's four are hidden; Sales and Support show.
    units = {"Sales": (8, 6, 1), "Support": (6, 5, 0), "Marketing": (5, 4, 0), "Legal": (2, 1, 1)}
    round_ = launched(organisation, instruments, units)
    # Closing builds the final report, on the worker.
    round_close(round_=round_)
    before = final_report(round_)
    shown = json.loads(before)["departments"]
    assert (shown["Sales"]["responded"], shown["Support"]["responded"]) == (6, 5)

    people = {
        name: list(Person.objects.filter(department__name=name).order_by("pk")) for name in units
    }
    renamed, moved, moved_out = people["Sales"][:3]
    left, erased = people["Support"][:2]
    edited = {renamed, moved, moved_out, left}
    rows = [roster_row(p) for p in Person.objects.order_by("pk") if p not in edited]
    rows += [
        roster_row(renamed, name="Renamed Person"),
        roster_row(moved, department="Support"),
        roster_row(moved_out, department="Elsewhere/Far away", level="Manager"),
        ("Added Person", "added@example.com", "Legal", "Front line"),
    ]
    imported = roster_import(organisation=organisation, file=csv_file(*rows), filename="staff.csv")
    assert (imported.added, imported.changed, imported.deactivated) == (1, 3, 1)
    staff["admin"].post(reverse("roster:erase", kwargs={"pk": erased.pk}))
    assert not Person.objects.filter(pk=erased.pk).exists()
    assert Person.objects.get(pk=moved.pk).department.name == "Support"
    assert Department.objects.filter(organisation=organisation, path="Elsewhere/Far away").exists()

    after = final_report(round_, report_build_start(round_=round_))

    assert after == before
    assert ReportBuild.objects.filter(round=round_, status=ReportBuildStatus.DONE).count() == 2


@pytest.mark.django_db
def test_a_round_of_fewer_invited_than_the_threshold_shows_its_participation_nowhere(
    staff, organisation, instruments
):
    """The whole round is a unit too: three invited, two answered, one started."""
    round_ = launched(organisation, instruments, {"Legal": (3, 2, 1)})
    said = re.compile(r"\b[0-3] (of|/) [0-3]\b|\d+%")
    opened = []
    for role in (*RUNS_ROUNDS, "executive", "lead"):
        for name, (url, headers) in pages_of(round_).items():
            response = staff[role].get(url, headers=headers)
            if response.status_code != 200:
                continue
            opened.append((role, name))
            text = " ".join(strip_tags(response.content.decode()).split())
            assert [m.group(0) for m in said.finditer(text)] == [], (role, name)
            if name.startswith("participation"):
                rows = table_of(response.content.decode())
                assert set(rows) == {"Whole organisation", "Legal"}
                assert all(row == [SUPPRESSED_MARKER] * 5 for row in rows.values())
    assert len(opened) == 2 * 6 + 2
