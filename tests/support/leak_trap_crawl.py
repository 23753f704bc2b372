"""The crawl of tests/views/test_leak_trap_surfaces.py: every report and participation
route opened as a reader (pages, htmx fragments, PDF, spreadsheet, JSON), each read into
its tables, charts, lists, PDF lines and spreadsheet rows."""

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment.models import Question, Role
from tests.fixtures.leak_trap import LeakTrap
from tests.support.report_pages import (
    downloaded,
    lead,
    pdf_pages,
    reader,
    xlsx_cells,
)


@dataclass(frozen=True)
class Visit:
    route: str
    url: str
    # Whose numbers the page is about: a department's path, or None for the organisation.
    group: str | None
    code: str | None = None  # a question's page
    htmx: bool = False


@dataclass
class Table:
    head: list[str]  # as read by screen readers too (the heatmap's codes)
    rows: list[list[str]]  # as seen

    @property
    def header(self) -> list[str]:
        return [visible(cell) for cell in self.head]


@dataclass
class Output:
    visit: Visit
    text: str  # everything a reader could find in it, markup and hidden words included
    tables: list[Table] = field(default_factory=list)
    charts: list[list[str]] = field(default_factory=list)  # each chart's texts, in order
    lists: dict[str, list[str]] = field(default_factory=dict)  # comment-list, word-list
    pages: list[tuple[str, list[str]]] = field(default_factory=list)  # PDF: (part, lines)
    sheets: dict[str, list[list[str]]] = field(default_factory=dict)
    data: Any = None

    @property
    def name(self) -> str:
        extra = self.visit.code or (self.visit.group if self.visit.group is not None else "")
        return f"{self.visit.route}{' (htmx)' if self.visit.htmx else ''} {extra}".strip()


def route_names() -> set[str]:
    """Every route that shows a report's or a participation page's numbers, from the URL
    resolver: a new one fails the crawl until VISITS says how to open it."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace:
                yield f"{namespace}:{pattern.name}"

    return {
        name
        for name in walk(get_resolver().url_patterns)
        if name.startswith(("reports:", "rounds:participation"))
    }


def _round_url(route: str, trap: LeakTrap) -> str:
    return reverse(route, kwargs={"pk": trap.round.pk})


def _departments(trap: LeakTrap, root: str | None) -> list[Visit]:
    return [
        Visit(
            "reports:department",
            reverse(
                "reports:department", kwargs={"pk": trap.round.pk, "department": department.pk}
            ),
            department.path,
        )
        for department in trap.departments.values()
    ]


def _questions(trap: LeakTrap, root: str | None) -> list[Visit]:
    return [
        Visit(
            "reports:question",
            reverse("reports:question", kwargs={"pk": trap.round.pk, "code": code}),
            root,
            code=code,
        )
        for code in Question.objects.filter(
            instrument__in=trap.round.instruments.all()
        ).values_list("code", flat=True)
    ]


def _groups(route: str) -> Callable[[LeakTrap, str | None], list[Visit]]:
    """A comments or words page: the reader's own, and filtered to each department."""

    def visits(trap: LeakTrap, root: str | None) -> list[Visit]:
        url = _round_url(route, trap)
        return [Visit(route, url, root)] + [
            Visit(route, f"{url}?department={department.pk}", department.path)
            for department in trap.departments.values()
        ]

    return visits


def _each_format(route: str) -> Callable[[LeakTrap, str | None], list[Visit]]:
    """A download's page (or its button, or its progress) for each format."""

    def visits(trap: LeakTrap, root: str | None) -> list[Visit]:
        return [
            Visit(route, reverse(route, kwargs={"pk": trap.round.pk, "export_format": f}), root)
            for f in FILES.values()
        ]

    return visits


# The stored files, each prepared (its button pressed) before it is opened.
FILES = {"reports:pdf": "pdf", "reports:xlsx": "xlsx", "reports:json": "json"}


def _plain_and_htmx(route: str) -> Callable[[LeakTrap, str | None], list[Visit]]:
    def visits(trap: LeakTrap, root: str | None) -> list[Visit]:
        url = _round_url(route, trap)
        return [Visit(route, url, root), Visit(route, url, root, htmx=True)]

    return visits


def _one(route: str) -> Callable[[LeakTrap, str | None], list[Visit]]:
    return lambda trap, root: [Visit(route, _round_url(route, trap), root)]


VISITS: dict[str, Callable[[LeakTrap, str | None], list[Visit]]] = {
    "reports:list": lambda trap, root: [Visit("reports:list", reverse("reports:list"), root)],
    "reports:overview": _one("reports:overview"),
    "reports:department": _departments,
    "reports:question": _questions,
    "reports:comments": _groups("reports:comments"),
    "reports:words": _groups("reports:words"),
    "reports:progress": _plain_and_htmx("reports:progress"),
    # A POST that starts a build: opened, it shows nothing (405).
    "reports:build": _one("reports:build"),
    "reports:pdf": _one("reports:pdf"),
    "reports:xlsx": _one("reports:xlsx"),
    "reports:json": _one("reports:json"),
    # The form that records a commitment from the report: question texts, no numbers.
    "reports:commitment-new": _one("reports:commitment-new"),
    "reports:download": _each_format("reports:download"),
    # A POST that starts a file: opened, it shows nothing (405).
    "reports:download-start": _each_format("reports:download-start"),
    "reports:download-progress": _each_format("reports:download-progress"),
    "rounds:participation": _plain_and_htmx("rounds:participation"),
    "rounds:participation-table": _plain_and_htmx("rounds:participation-table"),
}
# Pages outside those routes that show how many have answered.
EXTRA_VISITS = [
    lambda trap, root: [Visit("dashboard", reverse("dashboard"), None)],
    _one("rounds:detail"),
]


def visible(cell: str) -> str:
    """A cell as seen: without the words only screen readers get (\x02…\x03)."""
    return " ".join(re.sub("\x02[^\x03]*\x03", "", cell).split())


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._head = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append(Table(head=[], rows=[]))
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._head:
                self.tables[-1].head = self._row
            else:
                self.tables[-1].rows.append([visible(cell) for cell in self._row])
            self._row = None
        elif tag == "thead":
            self._head = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_page(visit: Visit, html: str) -> Output:
    marked = re.sub(r'<span class="visually-hidden">([^<]*)</span>', "\x02\\1\x03", html)
    parser = _Tables()
    parser.feed(marked)
    charts = [
        [unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg)]
        for svg in re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    ]
    lists = {
        kind: [
            unescape(
                re.sub(
                    r"<span class=\"(?:word-count|comment-question[^\"]*)\">.*?</span>|<[^>]+>",
                    "",
                    item,
                )
            ).strip()
            for block in re.findall(rf'<ul class="{kind}">(.*?)</ul>', html, re.DOTALL)
            for item in re.findall(r"<li>(.*?)</li>", block, re.DOTALL)
        ]
        for kind in ("comment-list", "word-list")
    }
    text = unescape(re.sub(r"<[^>]+>", " ", html)) + "\n" + unescape(html)
    return Output(visit, text, tables=parser.tables, charts=charts, lists=lists)


def read_pdf(visit: Visit, content: bytes, round_name: str) -> Output:
    """Each page's lines, with the part it belongs to (its running header)."""
    pages = []
    for text in pdf_pages(content):
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        headers = [line for line in lines if line.startswith(f"{round_name} ")]
        part = headers[-1].removeprefix(f"{round_name} ") if headers else ""
        pages.append((part.removeprefix("Comments and stories: "), lines))
    return Output(visit, "\n".join("\n".join(lines) for _, lines in pages), pages=pages)


def read_xlsx(visit: Visit, content: bytes) -> Output:
    sheets = {
        title: [["" if value is None else str(value) for value in row] for row in rows]
        for title, rows in xlsx_cells(content).items()
    }
    text = "\n".join("\t".join(row) for rows in sheets.values() for row in rows)
    return Output(visit, text, sheets=sheets)


def crawl(client: Client, trap: LeakTrap, root: str | None) -> tuple[list[Output], Counter]:
    """Everything one reader can open, and the status of each route they tried."""
    outputs: list[Output] = []
    statuses: Counter = Counter()
    visits = [v for route in sorted(VISITS) for v in VISITS[route](trap, root)]
    visits += [v for make in EXTRA_VISITS for v in make(trap, root)]
    for visit in visits:
        headers = {"HX-Request": "true"} if visit.htmx else {}
        got = downloaded(client, trap.round, FILES[visit.route]) if visit.route in FILES else None
        response = got.response if got else client.get(visit.url, follow=True, headers=headers)
        statuses[(visit.route, response.status_code)] += 1
        assert response.status_code in (200, 403, 404, 405), (visit, response.status_code)
        if response.status_code == 200:
            outputs.append(_read(visit, response, trap, got.content if got else b""))
    return outputs, statuses


def _read(visit: Visit, response: Any, trap: LeakTrap, content: bytes) -> Output:
    if visit.route not in FILES:
        return read_page(visit, response.content.decode())
    if visit.route == "reports:pdf":
        return read_pdf(visit, content, trap.round.name)
    if visit.route == "reports:xlsx":
        return read_xlsx(visit, content)
    data = json.loads(content)
    return Output(visit, json.dumps(data, ensure_ascii=False), data=data)


def readers(trap: LeakTrap) -> dict[str, tuple[Client, str | None]]:
    """Every reader of reports: (client, the department they read, None: all)."""
    organisation = trap.round.organisation
    found = {role: (reader(organisation, role), None) for role in (Role.ADMIN, Role.FACILITATOR)}
    found[Role.EXECUTIVE] = (reader(organisation, Role.EXECUTIVE), None)
    for department in trap.departments.values():
        found[f"lead of {department.name}"] = (lead(organisation, department), department.path)
    return found


def admin_json(trap: LeakTrap, client: Client) -> dict:
    return downloaded(client, trap.round, "json").json()
