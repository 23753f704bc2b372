"""One gate, every surface. The leak-trap organisation's report (tests/fixtures/leak_trap.py),
built by the real worker, is read as every role that reads reports, through every report
page, htmx fragment, participation page, the PDF, the spreadsheet and the JSON. Nowhere is a
score, mean, share, distribution or count of a group or item below the threshold, nor
anything subtraction would narrow down to one; every row, cell, line or object about a
suppressed group holds the one marker and no digit; comments and words are read only within
groups of the comment threshold.

The verdicts checked against are the gate's own, read from an admin's JSON download, and
audited independently by `leaks()` in tests/support/report_checks.py (and, for the participation
page, by tests/support/disclosure.py over the invitations). The crawl is in
tests/support/leak_trap_crawl.py, the checks in tests/support/leak_trap_checks.py."""

import json
import re
from collections import Counter

import pytest

from assessment.models import Department, Role
from tests.fixtures.leak_trap import ALWAYS_HIDDEN, SMALL_ITEM, LeakTrap
from tests.support.leak_trap_checks import problems_in
from tests.support.leak_trap_crawl import VISITS, admin_json, crawl, readers, route_names
from tests.support.leak_trap_gate import Gate
from tests.support.recount import Item, load_items, recount_item
from tests.support.report_checks import SUPPRESSED, ReportReader, appears, leaks
from tests.support.report_pages import reader

HEAT_DIFFERENCE = re.compile(r"Δ\s*[+−]?\d+\.\d")

pytestmark = pytest.mark.worker


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
            # A heatmap's Δ is the difference of two scores the page shows: it may equal
            # a canary by chance and give nothing away.
            text = HEAT_DIFFERENCE.sub("", out.text)
            found += [f"{n} in {out.name} for {who}" for n in forbidden if appears(n, text)]
            for problems in problems_in(out, gate, trap, root, checked).values():
                found += [f"{problem} for {who}" for problem in problems]
    assert found == [], "\n".join(found)
    # The checks met the small groups and the item in every kind of output.
    for kind in ("tables", "charts", "pdf", "xlsx", "json"):
        for small in ("Legal", "Yard", "Executive", SMALL_ITEM):
            assert checked[kind, small], (kind, small)
    assert checked["participation", "Legal"] and checked["participation", "Yard"]
    # Every route was read by somebody (and the build and a download's button only refused).
    buttons = {"reports:build", "reports:download-start"}
    opened = {route for route, status in statuses if status == 200}
    assert opened == (route_names() | {"dashboard", "rounds:detail"}) - buttons
    assert {status for route, status in statuses if route in buttons} == {405}


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
    groups = {"Legal", "Yard", "Operations", "Logistics", SMALL_ITEM}
    shown = trap.numbers(groups)
    # The PDF's department summaries print scores; a department's means are on its page.
    scores = trap.numbers(groups, statistics={"score", "gap"})
    for kind in ("reports:pdf", "reports:xlsx", "reports:json", "reports:department"):
        text = "\n".join(out.text for out in outputs if out.visit.route == kind)
        expected = scores if kind == "reports:pdf" else shown
        missing = [n for n in expected if not appears(n, text) and not appears(str(float(n)), text)]
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
