"""What an outsider can work out by subtraction from the groups a report shows.

Written from the department tree alone, independently of assessment/anonymity/, so that
tests check the gate instead of restating it. Groups are named ("org",), ("dept", id),
("rest", id) for the direct members of a department that has sub-departments, and
(group, level_id) for a group at one level.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

Group = tuple
Equation = tuple[Group, list[Group]]

ORG: Group = ("org",)


def whole(department_id: int | None) -> Group:
    return ORG if department_id is None else ("dept", department_id)


def equations(parents: Mapping[int, int | None], levels: Sequence[int]) -> list[Equation]:
    """Every `total = sum of parts` that holds between the groups of a report."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for department_id, parent_id in parents.items():
        children[parent_id].append(department_id)
    result: list[Equation] = []
    for department_id in [None, *parents]:
        total = whole(department_id)
        result.append((total, [(total, level) for level in levels]))
        parts = [whole(child) for child in children[department_id]]
        if not parts:
            continue
        if department_id is not None:
            rest = ("rest", department_id)
            parts.append(rest)
            result.append((rest, [(rest, level) for level in levels]))
        result.append((total, parts))
        for level in levels:
            result.append(((total, level), [(part, level) for part in parts]))
    return result


def group_sizes(
    parents: Mapping[int, int | None],
    levels: Sequence[int],
    counts: Mapping[tuple[int, int], int],
) -> dict[Group, int]:
    """Members of every group, from the people placed directly in each department."""

    def inside(department_id: int, ancestor: int) -> bool:
        while department_id is not None:
            if department_id == ancestor:
                return True
            department_id = parents[department_id]
        return False

    has_children = {p for p in parents.values() if p is not None}
    sizes: dict[Group, int] = {}
    for level in levels:
        sizes[(ORG, level)] = sum(counts.get((d, level), 0) for d in parents)
        for ancestor in parents:
            sizes[(whole(ancestor), level)] = sum(
                counts.get((d, level), 0) for d in parents if inside(d, ancestor)
            )
            if ancestor in has_children:
                sizes[(("rest", ancestor), level)] = counts.get((ancestor, level), 0)
    for group in {g for g, _ in sizes}:
        sizes[group] = sum(sizes[(group, level)] for level in levels)
    return sizes


def disclosures(
    shown: Iterable[Group],
    sizes: Mapping[Group, int],
    equations: Iterable[Equation],
    threshold: int,
) -> list[str]:
    """Each group of 1 to threshold − 1 members that subtraction works out, and each
    remainder that small left when a known total loses its known parts. Empty groups
    count as known: a roster can tell that nobody is there."""
    equations = list(equations)
    known = set(shown) | {g for g, n in sizes.items() if n == 0}
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            unknown = [g for g in (total, *parts) if g not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
    problems = [
        f"{group} ({sizes[group]}) can be worked out"
        for group in sorted(known, key=str)
        if 0 < sizes.get(group, 0) < threshold
    ]
    for total, parts in equations:
        if total not in known:
            continue
        rest = sum(sizes.get(p, 0) for p in parts if p not in known)
        if 0 < rest < threshold:
            problems.append(f"{total} less its known parts leaves {rest}")
    return problems
