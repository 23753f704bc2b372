"""Checks on a report's JSON that do not trust the code that made it: what it shows is
read back from the JSON, group sizes are recounted from the rows a test wrote, and
tests/support/disclosure.py works out what subtraction would give away."""

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from assessment.models import Department, Level
from tests.support.disclosure import ORG, Group, disclosures, equations, group_sizes
from tests.support.report_data import Respondent

SUPPRESSED = {"suppressed": True}


def markers_hold_nothing(data: Any, where: str = "report") -> list[str]:
    """Every place that says "suppressed" says nothing else."""
    problems = []
    if isinstance(data, dict):
        if "suppressed" in data and data != SUPPRESSED:
            problems.append(f"{where} carries more than the marker: {sorted(data)}")
        for key, value in data.items():
            problems += markers_hold_nothing(value, f"{where}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            problems += markers_hold_nothing(value, f"{where}[{index}]")
    return problems


class ReportReader:
    """The groups of a report's JSON under tests/support/disclosure.py's names."""

    def __init__(self, data: dict, departments: Iterable[Department], levels: Iterable[Level]):
        self.data = data
        self.departments = list(departments)
        self.levels = list(levels)

    def views(self) -> Iterator[tuple[Group, Any]]:
        """(group, view) for the organisation, each department and each of their levels."""
        for group, view in self.wholes():
            yield group, view
            for level in self.levels:
                if view != SUPPRESSED:
                    # A level nobody was invited at is not in the report: nothing shown.
                    yield (group, level.pk), view["levels"].get(level.name, SUPPRESSED)
                else:
                    yield (group, level.pk), SUPPRESSED

    def shown(self) -> set[Group]:
        return {group for group, view in self.views() if view != SUPPRESSED}

    def shown_items(self, code: str) -> set[Group]:
        return {
            group
            for group, view in self.views()
            if view != SUPPRESSED and view["questions"][code] != SUPPRESSED
        }

    def wholes(self) -> list[tuple[Group, Any]]:
        return [(ORG, self.data["organisation"])] + [
            (("dept", d.pk), self.data["departments"].get(d.path, SUPPRESSED))
            for d in self.departments
        ]

    def shown_comments(self) -> set[Group]:
        """The organisation and departments whose comments and words are listed."""
        return {
            group
            for group, view in self.wholes()
            if view != SUPPRESSED and view["comments"] != SUPPRESSED
        }


def answered(person: Respondent, code: str) -> bool:
    value = person.answers.get(code)
    return value is not None and value != []


def leaks(
    reader: ReportReader,
    respondents: list[Respondent],
    *,
    threshold: int,
    comment_threshold: int,
) -> list[str]:
    """Everything in the report that subtraction could narrow down to fewer than the
    threshold: groups by responses, every item by its own n, comment lists."""
    parents = {d.pk: d.parent_id for d in reader.departments}
    level_ids = [lv.pk for lv in reader.levels]
    relations = equations(parents, level_ids)
    people = Counter((p.department.pk, p.level.pk) for p in respondents)
    sizes = group_sizes(parents, level_ids, people)
    problems = markers_hold_nothing(reader.data)
    problems += disclosures(reader.shown(), sizes, relations, threshold)
    for question in reader.data["questions"]:
        code = question["code"]
        if question["kind"] == "text":
            continue
        item = Counter((p.department.pk, p.level.pk) for p in respondents if answered(p, code))
        item_sizes = group_sizes(parents, level_ids, item)
        problems += [
            f"{code}: {problem}"
            for problem in disclosures(reader.shown_items(code), item_sizes, relations, threshold)
        ]
    problems += [
        f"comments: {problem}"
        for problem in disclosures(reader.shown_comments(), sizes, relations, comment_threshold)
    ]
    return problems


def appears(number: str, text: str) -> bool:
    """The number as a number of its own: not the start of 57.50 nor the end of 157.5."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text) is not None
