"""Which groups one version of a report may show, for one kind of figure.

A report publishes several kinds of figure about its groups, each with its own sizes: how
many answered (the group's own size), the answers to each question (only those who
answered it), the comments (the people whose comments were taken). Each kind is decided
on its own, by `hidden_groups`, from the sizes of the cells in this version and, when the
round has published a version before, from that version's sizes and decisions.

Sizes count verified people only: people invited to the round who answered through their
own link. A workshop participant joined with a code anyone in the room could type again;
their answers may add to a cell's figures (assessment/anonymity/steps.py) but never make
a cell, a group or a step large enough to be shown.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .gate import Partition, suppressed_groups
from .system import new_knowledge, small_union_determined
from .thresholds import reaches


@dataclass(frozen=True)
class Table:
    """The groups a kind of figure may be published for, and how they add up."""

    members: Mapping[str, frozenset[str]]
    partitions: list[Partition]
    never_shown: frozenset[str]

    def sizes(self, cells: Mapping[str, int]) -> dict[str, int]:
        return {g: sum(cells.get(c, 0) for c in cs) for g, cs in self.members.items()}


@dataclass(frozen=True)
class Published:
    """What the last published version of the round counted in each cell, and which
    groups it hid."""

    cells: Mapping[str, int]
    hidden: frozenset[str]


def hidden_groups(
    table: Table,
    cells: Mapping[str, int],
    threshold: int,
    before: Published | None = None,
    also_hidden: Iterable[str] = (),
) -> set[str]:
    """The groups this version must not show. `also_hidden` are groups hidden for another
    reason (an item is never shown for a group whose answers are hidden)."""
    never = table.never_shown | frozenset(also_hidden)
    if before is None:
        return _first(table, cells, threshold, never)
    return _following(table, cells, threshold, before, never)


def _first(
    table: Table, cells: Mapping[str, int], threshold: int, never: frozenset[str]
) -> set[str]:
    """A round's first version: the gate's rules for one table (small groups, then what
    subtraction along the tree and the levels would uncover), then the exact check over
    the whole table, suppressing one more group at a time until nothing small is
    determined."""
    sizes = table.sizes(cells)
    hidden = set(never)
    while True:
        hidden = suppressed_groups(sizes, table.partitions, threshold, hidden)
        shown = [g for g in table.members if g not in hidden and sizes[g] > 0]
        found = small_union_determined(table.members, shown, cells, threshold)
        if found is None:
            return hidden
        # Giving up the smallest group that solves it costs the reader the least.
        hidden.add(min(found.by, key=lambda g: (sizes[g], g)))


def _following(
    table: Table,
    cells: Mapping[str, int],
    threshold: int,
    before: Published,
    never: frozenset[str],
) -> set[str]:
    """A version after a published one. Every group shown last time stays shown (it has
    only gained people, in steps of at least the threshold); a group hidden last time is
    shown once it is large enough, unless that would tell more about the people already
    counted than the last version did (system.new_knowledge)."""
    sizes = table.sizes(cells)
    sizes_before = table.sizes(before.cells)
    shown_before = {g for g in table.members if g not in before.hidden and sizes_before[g] > 0}
    shown = {
        g
        for g in table.members
        if g not in never and sizes[g] > 0 and (g in shown_before or reaches(sizes[g], threshold))
    }
    moved = [c for c in cells.keys() | before.cells.keys() if cells.get(c) != before.cells.get(c)]
    counted = [c for c, n in before.cells.items() if n > 0]
    while True:
        found = new_knowledge(table.members, shown, shown_before, moved, counted)
        if found is None:
            return {g for g in table.members if g not in shown}
        shown.discard(min(found, key=lambda g: (sizes[g], g)))
