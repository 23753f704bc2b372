"""Trust, item 1: one gate, every surface. The leak-trap organisation's report
(tests/fixtures/leak_trap.py), built by the real worker, is read as every role that reads
reports, through every report page, htmx fragment, participation page, the dashboard, the
PDF, the spreadsheet and the JSON. Nowhere is a score, a share, a count of responses or
of answers, or a comment of a group or item below the threshold; every row about a
suppressed group holds the one marker and nothing else."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Department, ReportSnapshot, Role
from assessment.reporting.tables import SUPPRESSED_MARKER
from tests.report_checks import SUPPRESSED, ReportReader, leaks
from tests.report_pages import (
    executive,
    lead,
    page_text,
    pdf_pages,
    reader,
    xlsx_cells,
)
from tests.security.test_routes import all_route_names
from tests.views.test_report_disclosure import appears

pytestmark = pytest.mark.worker

# Every route that shows a report's or a round's numbers; a new one fails
# test_every_route_that_shows_numbers_is_crawled until it is crawled here.
CRAWLED = {
    "dashboard",
    "reports:list",
    "reports:overview",
    "reports:department",
    "reports:question",
    "reports:comments",
    "reports:progress",
    "reports:pdf",
    "reports:xlsx",
    "reports:json",
    "rounds:detail",
    "rounds:participation",
    "rounds:participation-table",
}
# Routes under the same prefixes that show no numbers of answers.
NOT_NUMBERS = {"reports:build"}  # a POST that starts a build
ROUND_ACTIONS = {
    "rounds:list",
    "rounds:create",
    "rounds:edit",
    "rounds:launch",
    "rounds:close",
    "rounds:extend",
    "rounds:reopen",
    "rounds:remind",
}


def test_every_route_that_shows_numbers_is_crawled():
    names = {n for n in all_route_names() if n.startswith(("reports:", "rounds:"))}
    assert names - NOT_NUMBERS - ROUND_ACTIONS == CRAWLED - {"dashboard"}


class Rows(HTMLParser):
    """The cells of every table row, and the text of every element outside tables,
    with the screen readers' "not shown" beside each marker left out."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()).replace("not shown", ""))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append([cell.strip() for cell in self._row])
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_rows(html: str) -> list[list[str]]:
    parser = Rows()
    parser.feed(html)
    return parser.rows


def crawl(client: Client, round_, departments: list[Department]) -> dict[str, tuple[str, list]]:
    """name → (text, rows) of every page and download one reader can open."""
    pk = round_.pk
    outputs: dict[str, tuple[str, list]] = {}
    codes = [q["code"] for q in ReportSnapshot.objects.get(round=round_).data["questions"]]

    def page(name: str, url: str, **headers) -> None:
        response = client.get(url, follow=True, headers=headers)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if response.status_code == 200:
            outputs[name] = (page_text(response), html_rows(response.content.decode()))

    page("dashboard", reverse("dashboard"))
    page("reports:list", reverse("reports:list"))
    for name in ("overview", "comments", "progress"):
        page(f"reports:{name}", reverse(f"reports:{name}", kwargs={"pk": pk}))
    page(
        "reports:progress (htmx)",
        reverse("reports:progress", kwargs={"pk": pk}),
        HX_Request="true",
    )
    for department in departments:
        page(
            f"reports:department {department.name}",
            reverse("reports:department", kwargs={"pk": pk, "department": department.pk}),
        )
        page(
            f"reports:comments {department.name}",
            reverse("reports:comments", kwargs={"pk": pk}) + f"?department={department.pk}",
        )
    for code in codes:
        page(
            f"reports:question {code}", reverse("reports:question", kwargs={"pk": pk, "code": code})
        )
    for name in ("rounds:detail", "rounds:participation", "rounds:participation-table"):
        page(name, reverse(name, kwargs={"pk": pk}), HX_Request="true")
        page(f"{name} (full)", reverse(name, kwargs={"pk": pk}))

    pdf = client.get(reverse("reports:pdf", kwargs={"pk": pk}))
    if pdf.status_code == 200:
        lines = [line.split() for text in pdf_pages(pdf.content) for line in text.splitlines()]
        outputs["reports:pdf"] = ("\n".join(" ".join(line) for line in lines), lines)
    xlsx = client.get(reverse("reports:xlsx", kwargs={"pk": pk}))
    if xlsx.status_code == 200:
        rows = [
            ["" if value is None else str(value) for value in row]
            for sheet in xlsx_cells(xlsx.content).values()
            for row in sheet
        ]
        outputs["reports:xlsx"] = ("\n".join("\t".join(row) for row in rows), rows)
    data = client.get(reverse("reports:json", kwargs={"pk": pk}))
    if data.status_code == 200:
        outputs["reports:json"] = (json.dumps(data.json(), ensure_ascii=False), [])
    return outputs


def hidden_names(data: dict, departments: list[Department]) -> set[str]:
    return {d.name for d in departments if data["departments"].get(d.path) == SUPPRESSED}


def label_of(cell: str, hidden: set[str]) -> str | None:
    """The suppressed group (or item code) a row's label cell names, if any: the name
    alone, or after a path or a question's text ("Operations / Yard", "… trust-01")."""
    return next((h for h in hidden if cell == h or cell.endswith((f" {h}", f"/{h}"))), None)


def row_problems(name: str, rows: list, hidden: set[str]) -> list[str]:
    """Rows about a suppressed group or item that hold anything but the marker: a PDF
    line only when it starts with the label, a table row wherever the label sits."""
    problems = []
    for row in rows:
        cells = row[:1] if name == "reports:pdf" else row
        at = next((i for i, cell in enumerate(cells) if label_of(cell, hidden)), None)
        if at is None:
            continue
        extra = [c for c in row[at + 1 :] if c and c != SUPPRESSED_MARKER]
        if any(re.search(r"\d", cell) for cell in extra):
            problems.append(f"{name}: row of {label_of(row[at], hidden)} shows {extra}")
    return problems


def test_no_surface_shows_anything_of_a_group_or_item_below_the_threshold(leak_trap):
    round_ = leak_trap.round
    organisation = round_.organisation
    departments = list(Department.objects.filter(organisation=organisation))
    data = ReportSnapshot.objects.get(round=round_).data

    # The gate's own verdicts, read back from the JSON and audited independently below:
    # Legal (4) and Yard (3), and what would give them away by subtraction.
    hidden = hidden_names(data, departments)
    assert {"Legal", "Yard"} <= hidden
    assert data["organisation"] != SUPPRESSED
    assert data["organisation"]["levels"].get("Executive", SUPPRESSED) == SUPPRESSED
    assert data["organisation"]["questions"]["trust-01"] == SUPPRESSED

    readers = {role: reader(organisation, role) for role in (Role.ADMIN, Role.FACILITATOR)}
    readers[Role.EXECUTIVE] = executive(organisation)
    for department in departments:
        readers[f"lead of {department.name}"] = lead(organisation, department)

    # Below the threshold whatever else the gate decides, and any department it hid.
    forbidden = [
        number
        for group, numbers in leak_trap.canaries.items()
        if group in {"Legal", "Yard", "Executive", "trust-01"} | hidden
        for number in numbers
    ]
    found: list[str] = []
    seen: set[str] = set()
    for who, client in readers.items():
        outputs = crawl(client, round_, departments)
        seen |= {name.split(" ")[0] for name in outputs}
        for name, (text, rows) in outputs.items():
            where = f"{name} for {who}"
            found += [f"{n} in {where}" for n in forbidden if appears(n, text)]
            # The item answered by four is suppressed in every group.
            rows_hidden = hidden | {"trust-01"}
            found += [f"{p} for {who}" for p in row_problems(name, rows, rows_hidden)]
            # Any n shown, of a group or an item, is at least the threshold (or none:
            # that nobody answered gives nobody away).
            found += [
                f"n = {n} in {where}"
                for n in re.findall(r"\bn\s*=\s*(\d+)", text)
                if 0 < int(n) < round_.threshold
            ]
            # Comments of departments below the comment threshold stay out of anything
            # scoped to that department: its pages, and everything its own lead reads.
            for department, texts in leak_trap.comments.items():
                scoped = who == f"lead of {department}" or name.endswith(f" {department}")
                if scoped:
                    found += [f"comment {t!r} in {where}" for t in texts if t in text]
    assert found == [], "\n".join(found)
    assert seen >= CRAWLED

    reader_of_json = ReportReader(data, departments, organisation.levels.all())
    assert (
        leaks(
            reader_of_json,
            leak_trap.crowd,
            threshold=round_.threshold,
            comment_threshold=round_.comment_threshold,
        )
        == []
    )


def test_the_same_checks_find_the_numbers_when_the_threshold_lets_the_groups_show(leak_trap):
    """With the thresholds at 3 the traps are open: the canaries, the small groups' rows
    with their numbers, and their comments are in the pages and downloads, so the checks
    above would see a leak."""
    round_ = leak_trap.round
    round_.threshold = round_.comment_threshold = 3
    round_.save(update_fields=["threshold", "comment_threshold"])
    from tests.report_pages import build_report

    build_report(round_)
    departments = list(Department.objects.filter(organisation=round_.organisation))
    outputs = crawl(executive(round_.organisation), round_, departments)
    texts = "\n".join(text for text, _ in outputs.values())
    # Not the two executives': no threshold may go below 3, so nothing can show them.
    canaries = [n for g, numbers in leak_trap.canaries.items() if g != "Executive" for n in numbers]
    assert [n for n in canaries if not appears(n, texts)] == []
    for name in ("reports:overview", "reports:pdf", "reports:xlsx"):
        assert row_problems(name, outputs[name][1], {"Legal", "Yard"}), name
    # trust-01's four answers, now shown, with their n.
    assert re.search(r"\bn\s*=\s*4\b", texts)
    for name in ("reports:overview", "reports:xlsx"):
        assert row_problems(name, outputs[name][1], {"trust-01"}), name
    assert all(t in outputs["reports:comments Legal"][0] for t in leak_trap.comments["Legal"])
