"""The checks of tests/views/test_leak_trap_surfaces.py, one per kind of output: each
returns the places where an output shows more of a suppressed group or item than the
marker, against the gate's verdicts (tests/support/leak_trap_gate.py)."""

import re
from collections import Counter
from typing import Any

from assessment.models import Invitation, Level
from assessment.reporting.charts import NOT_SHOWN
from assessment.reporting.heatmap import PROTECTS_A_SMALLER_GROUP, TOO_FEW_INVITED
from assessment.reporting.scope import WHOLE_ORGANISATION
from tests.fixtures.leak_trap import LeakTrap
from tests.support.disclosure import ORG, disclosures, equations, group_sizes
from tests.support.leak_trap_crawl import Output, Table
from tests.support.leak_trap_gate import (
    ALL_LEVELS,
    CODE,
    FIXED_NUMBERS,
    MARKER,
    N_EQUALS,
    OTHER_MARKERS,
    Gate,
    about,
    marker_only,
    row_problem,
)
from tests.support.leak_trap_xlsx import xlsx_problems
from tests.support.report_checks import SUPPRESSED, markers_hold_nothing

ITEMS_HEADER = ["Question", "n", "Score", "Mean", "Fav · neutral · unfav %", "Change", "Flag"]
PARTICIPATION_HEADERS = (
    ["Group", "Invited", "Responded", "Rate"],
    ["Department", "Invited", "Responded", "Rate"],
    ["Department", "Invited", "Responded", "Rate", "Checklist", "Change"],
)
# A heatmap's column: the question's number and a few of its words ("3. Business strategy").
HEAT_COLUMN = re.compile(r"^\d+\. ")
# Why a heatmap row is hidden, after its label (assessment/reporting/heatmap.py); in the
# PDF it may wrap onto the next line.
HIDDEN_BECAUSE = re.compile(
    rf" ?\((?:{re.escape(TOO_FEW_INVITED)}|{PROTECTS_A_SMALLER_GROUP.rsplit(' ', 2)[0]}[^)]*)\)?"
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
    problems = []
    for table in out.tables:
        problems += [
            f"{out.name}: a second marker {cell!r}"
            for row in table.rows
            for cell in row[1:]
            if OTHER_MARKERS.search(cell)
        ]
        problems += _one_table_problems(out, gate, table, checked)
    return problems


# A line of the PDF's contents: a part's name, the dots that lead to its page, the page.
CONTENTS_LINE = re.compile(r"^.+ \.{3,} \d+$")
WORD_PAGE_HEADER = ["Word", "Answers using it"]


def _one_table_problems(out: Output, gate: Gate, table: Table, checked: Counter) -> list[str]:
    root = out.visit.group
    header = table.header
    if header in NO_GROUPS or header[:5] == ROUND_PARTICIPATION:
        return []  # the participation page's gate counts invitations: see below
    if header[:1] == ["Question"] and header[-1:] == ["Gap"]:
        if any(gate.hidden(root, level) for level in header[1:3]):
            return [f"{out.name}: the gap of a suppressed level, {table.rows}"]
        return []
    if header == ITEMS_HEADER:
        return _items_table_problems(out, gate, table, checked)
    if header == WORD_PAGE_HEADER:
        # The words page: one group's words (the visit's), each one it may list.
        readable = gate.readable_texts(root)
        return [
            f"{out.name}: the word {row[0]!r} listed for {root}"
            for row in table.rows
            if not any(row[0] in text.casefold() for text in readable)
        ]
    words = header == ["Group", "Words"]
    heatmap = header[:1] == ["Department"] and all(HEAT_COLUMN.match(h) for h in header[1:])
    if not (words or heatmap or header in PARTICIPATION_HEADERS or header[:2] == ["Group", "n"]):
        return [f"{out.name}: a table this test cannot read, {header}"]
    problems = []
    for row in table.rows:
        problems += _group_row_problems(out, gate, (table, row), words, heatmap, checked)
    return problems


def _items_table_problems(out: Output, gate: Gate, table: Table, checked: Counter) -> list[str]:
    """A suppressed item's row of a table of items."""
    problems = []
    for row in table.rows:
        codes = CODE.findall(row[0])
        if codes and gate.hidden(out.visit.group, code=codes[-1]):
            checked["tables", codes[-1]] += 1
            if not marker_only(row[1:]):
                problems.append(row_problem(out.name, row, codes[-1]))
    return problems


def _group_row_problems(
    out: Output,
    gate: Gate,
    place: tuple[Table, list[str]],
    words: bool,
    heatmap: bool,
    checked: Counter,
) -> list[str]:
    """A table row about one group: the marker alone if the group is suppressed, and in
    the heatmap the marker in each suppressed item's cell."""
    table, row = place
    group = gate.group(HIDDEN_BECAUSE.sub("", row[0]), out.visit.group)
    if group is None:
        return [f"{out.name}: a row this test cannot place, {row}"]
    if words:
        hidden = gate.hidden_texts(group[0], "words")
    else:
        hidden = gate.hidden(*group, code=out.visit.code)
    if hidden:
        checked["tables", about(group)] += 1
        return [] if marker_only(row[1:]) else [row_problem(out.name, row, row[0])]
    if not heatmap:
        return []
    problems = []
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
            line = HIDDEN_BECAUSE.sub("", line)
            if part == "Contents" and CONTENTS_LINE.match(line):
                continue  # a page number, not a group's number
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
                    problems.append(row_problem(out.name, row, row[0]))
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
