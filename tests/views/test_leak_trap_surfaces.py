"""Trust, item 1: one gate, every surface. The leak-trap organisation's report
(tests/fixtures/leak_trap.py), built by the real worker, is read as every role that reads
reports, through every report page, htmx fragment, participation page, the PDF, the
spreadsheet and the JSON. Nowhere is a score, mean, share, distribution or count of a
group or item below the threshold, nor anything subtraction would narrow down to one;
every row, cell, line or object about a suppressed group holds the one marker and no
digit; comments and words are read only within groups of the comment threshold.

The verdicts checked against are the gate's own, read from an admin's JSON download, and
audited independently by tests/report_checks.leaks() (and, for the participation page,
by tests/support/disclosure.py over the invitations)."""

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment.models import Department, Invitation, Level, Question, Role
from assessment.reporting.charts import NOT_SHOWN
from assessment.reporting.scope import WHOLE_ORGANISATION
from assessment.reporting.tables import SUPPRESSED_MARKER
from tests.fixtures.leak_trap import ALWAYS_HIDDEN, SMALL_ITEM, LeakTrap
from tests.support.disclosure import ORG, disclosures, equations, group_sizes
from tests.support.report_checks import SUPPRESSED, ReportReader, leaks, markers_hold_nothing
from tests.support.report_pages import lead, pdf_pages, reader, xlsx_cells
from tests.support.report_recount import Item, load_items, recount_item
from tests.views.test_report_disclosure import appears

pytestmark = pytest.mark.worker

MARKER = SUPPRESSED_MARKER
ALL_LEVELS = ", all levels"
# Words that would mean a second marker for what the gate suppressed.
OTHER_MARKERS = re.compile(r"not shown|suppressed|hidden|n/a", re.IGNORECASE)
CODE = re.compile(r"\b[a-z]+-\d{2}(?:-words)?\b")
# The numbers a PDF part of a suppressed department may hold: the thresholds, its pages.
FIXED_NUMBERS = re.compile(r"(?:fewer than|at least) \d+ responses|Page \d+ of \d+")
N_EQUALS = re.compile(r"(?:\bn\s*=\s*|\"n\": )(\d+)")


# --- The crawl -------------------------------------------------------------------------------


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


def _comments(trap: LeakTrap, root: str | None) -> list[Visit]:
    url = _round_url("reports:comments", trap)
    return [Visit("reports:comments", url, root)] + [
        Visit("reports:comments", f"{url}?department={department.pk}", department.path)
        for department in trap.departments.values()
    ]


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
    "reports:comments": _comments,
    "reports:progress": _plain_and_htmx("reports:progress"),
    # A POST that starts a build: opened, it shows nothing (405).
    "reports:build": _one("reports:build"),
    "reports:pdf": _one("reports:pdf"),
    "reports:xlsx": _one("reports:xlsx"),
    "reports:json": _one("reports:json"),
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
            unescape(re.sub(r"<span class=\"word-count\">.*?</span>|<[^>]+>", "", item)).strip()
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
        response = client.get(visit.url, follow=True, headers=headers)
        statuses[(visit.route, response.status_code)] += 1
        assert response.status_code in (200, 403, 404, 405), (visit, response.status_code)
        if response.status_code != 200:
            continue
        if visit.route == "reports:pdf":
            outputs.append(read_pdf(visit, response.content, trap.round.name))
        elif visit.route == "reports:xlsx":
            outputs.append(read_xlsx(visit, response.content))
        elif visit.route == "reports:json":
            data = response.json()
            outputs.append(Output(visit, json.dumps(data, ensure_ascii=False), data=data))
        else:
            outputs.append(read_page(visit, response.content.decode()))
    return outputs, statuses


# --- What the gate let through ---------------------------------------------------------------


class Gate:
    """The gate's verdicts as an admin's JSON download records them."""

    def __init__(self, data: dict, trap: LeakTrap) -> None:
        self.data = data
        self.trap = trap
        self.paths = {d.name: d.path for d in trap.departments.values()}
        self.paths |= {d.path: d.path for d in trap.departments.values()}
        self.levels = {level["name"] for level in data["levels"]}

    def group(self, label: str, root: str | None) -> tuple[str | None, str | None] | None:
        """(department path or None for the organisation, level or None) that a row's
        label names on a page about `root`."""
        label = label.removesuffix(ALL_LEVELS)
        if label == WHOLE_ORGANISATION:
            return None, None
        if label in self.paths:
            return self.paths[label], None
        if label in self.levels:
            return root, label
        return None

    def view(self, path: str | None, level: str | None = None) -> Any:
        if path is None:
            view = self.data["organisation"]
        else:
            view = self.data["departments"].get(path, SUPPRESSED)
        if level is not None and view != SUPPRESSED:
            view = view["levels"].get(level, SUPPRESSED)
        return view

    def hidden(self, path: str | None, level: str | None = None, code: str | None = None) -> bool:
        view = self.view(path, level)
        if view == SUPPRESSED:
            return True
        return code is not None and view["questions"].get(code, SUPPRESSED) == SUPPRESSED

    def hidden_texts(self, path: str | None, key: str = "comments") -> bool:
        view = self.view(path)
        return view == SUPPRESSED or view[key] == SUPPRESSED

    def readable_texts(self, path: str | None) -> set[str]:
        """The comments and words a list of this group may hold: its members' own, if
        the group reaches the comment threshold, else none."""
        if self.hidden_texts(path):
            return set()
        inside = {d.name for d in self.trap.departments.values() if within(d.path, path)}
        return {t for name in inside for t in self.trap.texts.get(name, [])}

    def hidden_paths(self) -> set[tuple]:
        """Where the JSON holds the marker: each as the keys that lead to it."""
        found: set[tuple] = set()

        def walk(value: Any, keys: tuple) -> None:
            if value == SUPPRESSED:
                found.add(keys)
            elif isinstance(value, dict):
                for key, inner in value.items():
                    walk(inner, (*keys, key))

        walk(self.data, ())
        return found


def within(path: str, root: str | None) -> bool:
    return root is None or path == root or path.startswith(f"{root}/")


def marker_only(cells: Iterable[str]) -> bool:
    """The one marker, and nothing else but empty cells."""
    cells = [cell.strip() for cell in cells]
    return MARKER in cells and all(cell in ("", MARKER) for cell in cells)


def _row_problem(where: str, row: list[str], about: str) -> str:
    return f"{where}: the row of {about} shows {row}"


def about(group: tuple[str | None, str | None]) -> str:
    """How `checked` counts a group: a level or a department by name."""
    path, level = group
    return level or (path.rsplit("/", 1)[-1] if path else WHOLE_ORGANISATION)


# --- Checks, one per kind of output ----------------------------------------------------------


ITEMS_HEADER = ["Question", "n", "Score", "Mean", "Unfavourable", "Change", "Flag"]
PARTICIPATION_HEADERS = (
    ["Group", "Invited", "Responded", "Rate"],
    ["Department", "Invited", "Responded", "Rate"],
)
ROUND_PARTICIPATION = ["Department", "Invited", "Started", "Submitted", "Rate"]
# The reports list (rounds, not groups), commitments, and the options of a several-choice
# question (drawn only for a group shown with it).
NO_GROUPS = (
    ["Round", "Round status", "Report"],
    ["What", "Who", "By", "Status"],
    ["Option", "People", "Share"],
)


def table_problems(out: Output, gate: Gate, checked: Counter) -> list[str]:
    """Each table row about a suppressed group (or a suppressed item's row, or cell of
    the heatmap) holds the marker alone; `checked` counts them, by what they are about."""
    root, code = out.visit.group, out.visit.code
    problems = []
    for table in out.tables:
        header = table.header
        problems += [
            f"{out.name}: a second marker {cell!r}"
            for row in table.rows
            for cell in row[1:]
            if OTHER_MARKERS.search(cell)
        ]
        if header in NO_GROUPS or header[:5] == ROUND_PARTICIPATION:
            continue  # the participation page's gate counts invitations: see below
        if header[:1] == ["Question"] and header[-1:] == ["Gap"]:
            if any(gate.hidden(root, level) for level in header[1:3]):
                problems.append(f"{out.name}: the gap of a suppressed level, {table.rows}")
            continue
        if header == ITEMS_HEADER:
            for row in table.rows:
                codes = CODE.findall(row[0])
                if codes and gate.hidden(root, code=codes[-1]):
                    checked["tables", codes[-1]] += 1
                    if not marker_only(row[1:]):
                        problems.append(_row_problem(out.name, row, codes[-1]))
            continue
        words = header == ["Group", "Words"]
        heatmap = header[:1] == ["Department"] and all(h.isdigit() for h in header[1:])
        if not (
            words or heatmap or header in PARTICIPATION_HEADERS or header[:2] == ["Group", "n"]
        ):
            problems.append(f"{out.name}: a table this test cannot read, {header}")
            continue
        for row in table.rows:
            group = gate.group(row[0], root)
            if group is None:
                problems.append(f"{out.name}: a row this test cannot place, {row}")
                continue
            if words:
                hidden = gate.hidden_texts(group[0], "words")
            else:
                hidden = gate.hidden(*group, code=code)
            if hidden:
                checked["tables", about(group)] += 1
                if not marker_only(row[1:]):
                    problems.append(_row_problem(out.name, row, row[0]))
            elif heatmap:
                for head, cell in zip(table.head[1:], row[1:], strict=True):
                    item = CODE.findall(head)[-1]
                    if gate.hidden(group[0], code=item):
                        checked["tables", item] += 1
                        if cell != MARKER:
                            problems.append(f"{out.name}: {item} of {row[0]} shows {cell!r}")
    return problems


def chart_problems(out: Output, gate: Gate, checked: Counter) -> list[str]:
    """A suppressed group's bar (a question's page) or item's bar is its label, unnumbered,
    then the marker."""
    root, code = out.visit.group, out.visit.code
    problems = []
    for texts in out.charts:
        for index, text in enumerate(texts[:-1]):
            label = re.sub(r" \(n = \d+\)$", "", text)
            group = gate.group(label, root) if code else None
            if group is not None:
                if gate.hidden(*group, code=code):
                    checked["charts", about(group)] += 1
                    if (text, texts[index + 1]) != (label, NOT_SHOWN):
                        problems.append(f"{out.name}: the bar of {label} is {texts[index + 1]!r}")
                continue
            before = texts[index - 1] if index else ""
            question = _wording_starting(text, before, gate.data["questions"])
            if question is None or not gate.hidden(root, code=question["code"]):
                continue
            checked["charts", question["code"]] += 1
            after = index + 1
            while after < len(texts) and texts[after].rstrip("…") in question["text"]:
                after += 1
            if after == len(texts) or texts[after] != NOT_SHOWN:
                problems.append(f"{out.name}: the bar of {question['code']} shows {texts[after:]}")
    return problems


def _wording_starting(text: str, before: str, questions: list[dict]) -> dict | None:
    """The question whose wording this chart label begins (not continues)."""
    start = text.rstrip("…").split(" · ")[0]
    found = [
        q
        for q in questions
        if q["text"] == start or (len(start) >= 12 and q["text"].startswith(start))
    ]
    if len(found) != 1 or (before and before.rstrip("…") in found[0]["text"]):
        return None
    return found[0]


def pdf_problems(out: Output, gate: Gate, checked: Counter) -> list[str]:
    """Table rows of the PDF are lines: a label, then its cells; an item's row is its
    wording ending with its code, then a line of cells."""
    problems = []
    labels = sorted(
        [WHOLE_ORGANISATION, *gate.paths, *gate.levels], key=len, reverse=True
    )  # "Operations/Yard" before "Operations"
    for part, lines in out.pages:
        root = gate.group(part, None)
        path = root[0] if root else None
        if root is not None and gate.hidden(path):
            # A suppressed department's part: only the fixed sentence, with the threshold.
            checked["pdf", about(root)] += 1
            for line in lines:
                if re.search(r"\d", FIXED_NUMBERS.sub("", line)):
                    problems.append(f"{out.name}: the part of {part} reads {line!r}")
        for index, line in enumerate(lines):
            label = next(
                (lb for lb in labels if line.startswith((f"{lb} ", f"{lb}{ALL_LEVELS} "))), None
            )
            if label is not None:
                group = gate.group(label, path)
                cells = line.removeprefix(label).removeprefix(ALL_LEVELS).split()
                # The words table's cells are words; every other table's, numbers or marks.
                words_row = bool(cells) and bool(re.search(r"[^\W\d_]", cells[0]))
                hidden = gate.hidden_texts(group[0], "words") if words_row else gate.hidden(*group)
                checked["pdf", about(group)] += hidden and bool(cells)
                if hidden and cells and not marker_only(cells):
                    problems.append(f"{out.name}: {part}: the line of {label} reads {line!r}")
            codes = re.findall(rf"({CODE.pattern})$", line)
            hidden = bool(codes) and gate.hidden(path, code=codes[0])
            checked["pdf", codes[0] if codes else ""] += hidden
            if hidden and index + 1 < len(lines) and not marker_only(lines[index + 1].split()):
                problems.append(f"{out.name}: {part}: {codes[0]} reads {lines[index + 1]!r}")
    return problems


# (group column, level column or None, code column or None, first value column)
XLSX_LAYOUT = {
    "Participation": (0, 1, None, 2),
    "Heatmap": (0, None, None, 1),
    "Questions by department": (0, None, 1, 3),
    "Questions by level": (0, 1, 2, 4),
    "Words": (0, None, None, 1),
}


def xlsx_problems(out: Output, gate: Gate, root: str | None, checked: Counter) -> list[str]:
    problems = []
    for title, rows in out.sheets.items():
        if title == "Overview":
            for row in rows:
                hidden = bool(CODE.fullmatch(row[0])) and gate.hidden(root, code=row[0])
                checked["xlsx", row[0]] += hidden
                if hidden and not marker_only(row[2:]):
                    problems.append(_row_problem(f"{out.name} {title}", row, row[0]))
            continue
        if title == "Gap":
            problems += [
                f"{out.name} Gap: {row}"
                for row in rows[1:]
                if (group := gate.group(row[0], root))
                and (any(gate.hidden(group[0], level) for level in rows[0][3:5]))
            ]
            continue
        if title == "Comments":
            for row in rows[1:]:
                group = gate.group(row[0], root)
                if group and row[3] not in gate.readable_texts(group[0]):
                    problems.append(f"{out.name} Comments: {row[3]!r} listed for {row[0]}")
            continue
        if title == "Commitments":
            continue
        if title not in XLSX_LAYOUT:
            problems.append(f"{out.name}: a sheet this test cannot read, {title}")
            continue
        group_at, level_at, code_at, values_at = XLSX_LAYOUT[title]
        labels = 2 if level_at is not None else 1
        for row in rows[1:]:
            group = gate.group(row[group_at], root) if row else None
            if group is None:
                continue  # the heading, a note
            path = group[0]
            level = row[level_at] if level_at is not None else None
            level = None if level == "All levels" else level
            values = row[values_at:]
            if title == "Words":
                hidden = gate.hidden_texts(path, "words")
            else:
                hidden = gate.hidden(path, level)
            if hidden:
                checked["xlsx", about((path, level))] += 1
                if not marker_only(row[labels:]):
                    problems.append(_row_problem(f"{out.name} {title}", row, row[group_at]))
                continue
            item_hidden = code_at is not None and gate.hidden(path, level, row[code_at])
            checked["xlsx", row[code_at] if item_hidden else ""] += item_hidden
            if item_hidden and not marker_only(values):
                problems.append(_row_problem(f"{out.name} {title}", row, row[code_at]))
            if title == "Heatmap":
                for code, cell in zip(rows[0][1:], values, strict=False):
                    hidden = gate.hidden(path, code=code)
                    checked["xlsx", code] += hidden
                    if hidden and cell != MARKER:
                        problems.append(f"{out.name} Heatmap: {code} of {row[0]} is {cell!r}")
    return problems


def json_problems(out: Output, gate: Gate, checked: Counter) -> list[str]:
    """The reader's JSON holds the marker wherever the gate put it, and the marker alone."""
    problems = markers_hold_nothing(out.data, out.name)

    def at(keys: tuple) -> Any:
        value = out.data
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None  # outside this reader's scope
            value = value[key]
        return value

    for keys in gate.hidden_paths():
        value = at(keys)
        checked["json", keys[-1].rsplit("/", 1)[-1]] += value is not None
        if value is not None and value != SUPPRESSED:
            problems.append(f"{out.name}: {'.'.join(keys)} holds {str(value)[:80]}")
    return problems


def text_problems(out: Output, gate: Gate, root: str | None) -> list[str]:
    """A comment or a word is read only in a list of a group of the comment threshold
    that its writer belongs to, and never by a lead whose department is smaller."""
    everything = {t for texts in gate.trap.texts.values() for t in texts}
    allowed = gate.readable_texts(root)
    problems = [f"{out.name}: {t!r}" for t in everything - allowed if t in out.text]
    if out.visit.route in ("reports:comments", "reports:department"):
        readable = gate.readable_texts(out.visit.group)
        problems += [
            f"{out.name}: {t!r} listed for {out.visit.group}"
            for kind in ("comment-list", "word-list")
            for t in out.lists[kind]
            if t not in readable
        ]
    for part, lines in out.pages:
        group = gate.group(part, None)
        readable = gate.readable_texts(group[0]) if group else set()
        problems += [
            f"{out.name}: {t!r} in the part of {part}"
            for t in everything - readable
            for line in lines
            if t in line
        ]
    return problems


def count_problems(out: Output, threshold: int) -> list[str]:
    """Any n shown, of a group or an item, is the threshold at least (or none: that
    nobody answered gives nobody away)."""
    return [f"{out.name}: n = {n}" for n in N_EQUALS.findall(out.text) if 0 < int(n) < threshold]


def participation_problems(out: Output, trap: LeakTrap, checked: Counter) -> list[str]:
    """The participation page against tests/support/disclosure.py, with invitations as sizes."""
    tables = [t for t in out.tables if t.header[:5] == ROUND_PARTICIPATION]
    if not tables:
        return []
    departments = {d.name: d for d in trap.departments.values()}
    levels = {lv.name: lv.pk for lv in Level.objects.filter(organisation=trap.round.organisation)}
    parents = {d.pk: d.parent_id for d in departments.values()}
    counts = Counter(
        Invitation.objects.filter(round=trap.round).values_list("department_id", "level_id")
    )
    sizes = group_sizes(parents, list(levels.values()), counts)
    problems = []
    for table in tables:
        header = table.header
        shown = set()
        for row in table.rows:
            group = ORG if row[0] == WHOLE_ORGANISATION else ("dept", departments[row[0]].pk)
            if row[1] != MARKER:
                shown.add(group)
            shown |= {
                (group, levels[name])
                for name, cell in zip(header[5:], row[5:], strict=True)
                if cell != MARKER
            }
            if sizes[group] < trap.round.threshold:
                checked["participation", row[0]] += 1
                if not marker_only(row[1:]):
                    problems.append(_row_problem(out.name, row, row[0]))
        problems += [
            f"{out.name}: {problem}"
            for problem in disclosures(
                shown, sizes, equations(parents, list(levels.values())), trap.round.threshold
            )
        ]
    return problems


def problems_in(
    out: Output, gate: Gate, trap: LeakTrap, root: str | None, checked: Counter
) -> dict[str, list[str]]:
    """Every check of one output, by name."""
    page_of_hidden = out.visit.route == "reports:department" and gate.hidden(out.visit.group)
    return {
        "counts": count_problems(out, trap.round.threshold),
        "texts": text_problems(out, gate, root),
        "tables": table_problems(out, gate, checked),
        "charts": chart_problems(out, gate, checked),
        "participation": participation_problems(out, trap, checked),
        "pdf": pdf_problems(out, gate, checked),
        "xlsx": xlsx_problems(out, gate, root, checked),
        "json": json_problems(out, gate, checked) if out.data is not None else [],
        # A suppressed department's page says so, without its headline numbers.
        "pages": [
            f"{out.name}: {' '.join(found.split())}"
            for found in re.findall(r"\d+\s+of\s+\d+\s+invited", out.text)
            if page_of_hidden
        ],
    }


def readers(trap: LeakTrap) -> dict[str, tuple[Client, str | None]]:
    """Every reader of reports: (client, the department they read, None: all)."""
    organisation = trap.round.organisation
    found = {role: (reader(organisation, role), None) for role in (Role.ADMIN, Role.FACILITATOR)}
    found[Role.EXECUTIVE] = (reader(organisation, Role.EXECUTIVE), None)
    for department in trap.departments.values():
        found[f"lead of {department.name}"] = (lead(organisation, department), department.path)
    return found


def admin_json(trap: LeakTrap, client: Client) -> dict:
    return client.get(reverse("reports:json", kwargs={"pk": trap.round.pk})).json()


# --- The tests -------------------------------------------------------------------------------


def test_the_crawl_opens_every_report_and_participation_route():
    assert set(VISITS) == route_names(), "a report or participation route VISITS misses"


def test_no_surface_shows_anything_of_a_group_or_item_below_the_threshold(leak_trap):
    """As each of the eight readers, every output is searched for the canaries of the
    suppressed groups and checked row by row against the gate's verdicts."""
    trap = leak_trap
    everyone = readers(trap)
    data = admin_json(trap, everyone[Role.ADMIN][0])
    gate = Gate(data, trap)
    departments = list(Department.objects.filter(organisation=trap.round.organisation))

    # The gate's verdicts: the traps' small groups are suppressed, and what it shows
    # passes the outsider's subtraction model.
    hidden = {name for name, d in trap.departments.items() if gate.hidden(d.path)}
    assert {"Legal", "Yard"} <= hidden
    assert {"Operations", "Logistics"} & hidden
    assert not gate.hidden(None) and not gate.hidden("Sales")
    assert all(gate.hidden(path, "Executive") for path in (None, "Sales"))
    assert all(gate.hidden(path, "Front line") for path in (None, "Sales"))
    assert all(gate.hidden(path, code=SMALL_ITEM) for path in (None, "Sales"))
    assert all(gate.hidden_texts(trap.departments[name].path) for name in hidden | {"Logistics"})
    assert not gate.hidden_texts("Sales")
    assert (
        leaks(
            ReportReader(data, departments, trap.round.organisation.levels.all()),
            trap.crowd,
            threshold=trap.round.threshold,
            comment_threshold=trap.round.comment_threshold,
        )
        == []
    )

    forbidden = trap.numbers(ALWAYS_HIDDEN | hidden)
    # The JSON and the spreadsheet write 4.50 as 4.5.
    forbidden += [str(float(number)) for number in forbidden]
    found: list[str] = []
    statuses: Counter = Counter()
    checked: Counter = Counter()
    for who, (client, root) in everyone.items():
        outputs, theirs = crawl(client, trap, root)
        statuses += theirs
        for out in outputs:
            found += [f"{n} in {out.name} for {who}" for n in forbidden if appears(n, out.text)]
            for problems in problems_in(out, gate, trap, root, checked).values():
                found += [f"{problem} for {who}" for problem in problems]
    assert found == [], "\n".join(found)
    # The checks met the small groups and the item in every kind of output.
    for kind in ("tables", "charts", "pdf", "xlsx", "json"):
        for small in ("Legal", "Yard", "Executive", SMALL_ITEM):
            assert checked[kind, small], (kind, small)
    assert checked["participation", "Legal"] and checked["participation", "Yard"]
    # Every route was read by somebody (and the build only refused).
    opened = {route for route, status in statuses if status == 200}
    assert opened == (route_names() | {"dashboard", "rounds:detail"}) - {"reports:build"}
    assert {status for route, status in statuses if route == "reports:build"} == {405}


def test_the_checks_find_every_number_once_the_threshold_lets_the_groups_show(make_leak_trap):
    """With the thresholds at 3, Legal, Yard, Operations and trust-01 are shown: their
    canaries are in the pages and downloads, and each check above, held to the verdicts
    of a threshold of 5, reports them. The two executives stay hidden (no threshold is
    below 3), so their canaries are proven by a recount instead."""
    trap = make_leak_trap(threshold=3, comment_threshold=3)
    admin = reader(trap.round.organisation, Role.ADMIN)
    data = admin_json(trap, admin)

    # The hand-worked canaries are what a report of those people would print.
    items = {item.code: item for item in load_items(trap.round)}
    for canary in trap.canaries:
        assert canary.value == _recount(canary.statistic, items[canary.code], trap, canary.group)

    # As an admin, held to the verdicts the threshold of 5 gave (the first test).
    gate, at_five = Gate(_as_at_five(data), trap), _stricter(trap)
    outputs, _ = crawl(admin, trap, None)
    found: dict[str, list[str]] = {}
    for out in outputs:
        for check, problems in problems_in(out, gate, at_five, None, Counter()).items():
            found.setdefault(check, []).extend(problems)
    missing = [
        (check, expected)
        for check, expected in CAUGHT.items()
        for part in expected
        if not any(part in problem for problem in found[check])
    ]
    assert missing == []

    # Every canary of a group now shown is in every kind of output.
    shown = trap.numbers({"Legal", "Yard", "Operations", "Logistics", SMALL_ITEM})
    for kind in ("reports:pdf", "reports:xlsx", "reports:json", "reports:department"):
        text = "\n".join(out.text for out in outputs if out.visit.route == kind)
        missing = [n for n in shown if not appears(n, text) and not appears(str(float(n)), text)]
        assert missing == [], kind


# What each check reports once Legal (4) and trust-01 (4) are shown.
CAUGHT = {
    "tables": ["the row of Legal", "the row of trust-01"],
    "charts": ["the bar of Legal", "the bar of trust-01"],
    "pdf": ["the line of Legal", "trust-01 reads"],
    "xlsx": ["the row of Legal", "the row of trust-01"],
    "json": ["departments.Legal holds", "organisation.questions.trust-01 holds"],
    "texts": ["'legal remark"],
    "counts": ["n = 4"],
    "participation": ["the row of Legal", "('dept', "],
    "pages": ["reports:department Legal: 4 of 4 invited"],
}


def _as_at_five(data: dict) -> dict:
    """The report's JSON with the verdicts of the thresholds of 5 and 10 (the first test):
    the small departments and those that would give them away, trust-01, and the comments
    of all but Sales and the organisation."""
    strict = json.loads(json.dumps(data))
    for path in ("Legal", "Operations", "Operations/Yard", "Operations/Logistics"):
        strict["departments"][path] = SUPPRESSED
    for view in (strict["organisation"], strict["departments"]["Sales"]):
        view["questions"][SMALL_ITEM] = SUPPRESSED
    return strict


def _stricter(trap: LeakTrap) -> LeakTrap:
    """The same trap, judged at the threshold of 5."""
    round_ = type(trap.round).objects.get(pk=trap.round.pk)
    round_.threshold = 5
    return LeakTrap(round_, trap.departments, trap.crowd, trap.canaries, trap.texts)


def _recount(statistic: str, item: Item, trap: LeakTrap, group: str) -> str:
    """A canary's number, recounted from the respondents (tests/support/report_recount.py)."""
    if statistic == "gap":
        executives = recount_item(item, trap.members("Executive"))["score"]
        front_line = recount_item(item, trap.members("Front line"))["score"]
        return f"{executives - front_line:.1f}"
    value = recount_item(item, trap.members(group))[statistic]
    return f"{value:.2f}" if statistic == "mean" else f"{value:.1f}"
