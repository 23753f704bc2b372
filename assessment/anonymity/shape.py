"""The groups of an organisation's report (departments in a tree × levels) and how they
add up: the partitions the gate checks subtraction against."""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from .gate import Partition, suppressed_groups

ORGANISATION = "org"


def department_key(department_id: int | str) -> tuple:
    return ("dept", department_id)


def direct_key(department_id: int | str) -> tuple:
    """The members of a department who are in none of its sub-departments."""
    return ("direct", department_id)


def cell_key(group: tuple | str, level_id: int) -> tuple:
    return ("cell", group, level_id)


def level_key(level_id: int) -> tuple:
    return cell_key(ORGANISATION, level_id)


@dataclass
class OrganisationShape:
    """The groups of one organisation and how they add up.

    `parents` maps each department to its parent (None at the top); `counts` holds the
    member count of every (department, level) pair for people placed directly in that
    department. From these follow every rolled-up group's size and every partition.
    """

    parents: Mapping[int, int | None]
    levels: list[int]
    counts: Mapping[tuple[int, int], int]

    def __post_init__(self) -> None:
        self._children: dict[int | None, list[int]] = {}
        for department_id, parent_id in sorted(self.parents.items()):
            self._children.setdefault(parent_id, []).append(department_id)

    def children(self, department_id: int | None) -> list[int]:
        return self._children.get(department_id, [])

    @staticmethod
    def node(department_id: int | None) -> Hashable:
        return ORGANISATION if department_id is None else department_key(department_id)

    def _parts(self, department_id: int | None) -> list[Hashable]:
        """What a department adds up from: its sub-departments, and its direct members
        when it has both."""
        parts: list[Hashable] = [department_key(c) for c in self.children(department_id)]
        if parts and department_id is not None:
            parts.insert(0, direct_key(department_id))
        return parts

    def sizes(self) -> dict[Hashable, int]:
        sizes: dict[Hashable, int] = {}

        def walk(department_id: int | None) -> dict[int, int]:
            direct = {lv: self.counts.get((department_id, lv), 0) for lv in self.levels}
            per_level = dict(direct)
            if department_id is not None and self.children(department_id):
                key = direct_key(department_id)
                sizes[key] = sum(direct.values())
                for level, n in direct.items():
                    sizes[cell_key(key, level)] = n
            for child in self.children(department_id):
                for level, n in walk(child).items():
                    per_level[level] += n
            node = self.node(department_id)
            for level, n in per_level.items():
                sizes[cell_key(node, level)] = n
            sizes[node] = sum(per_level.values())
            return per_level

        walk(None)
        return sizes

    def partitions(self) -> list[Partition]:
        result = []
        for department_id in [None, *self.parents]:
            node = self.node(department_id)
            # A department is its levels...
            result.append(Partition(node, tuple(cell_key(node, lv) for lv in self.levels)))
            parts = self._parts(department_id)
            if not parts:
                continue
            # ...and its parts; and each of its levels is that level in its parts.
            result.append(Partition(node, tuple(parts)))
            for level in self.levels:
                result.append(
                    Partition(cell_key(node, level), tuple(cell_key(p, level) for p in parts))
                )
            if department_id is not None:
                # Its direct members are their levels too.
                direct = direct_key(department_id)
                result.append(Partition(direct, tuple(cell_key(direct, lv) for lv in self.levels)))
        return result

    def never_shown(self) -> set[Hashable]:
        """Direct members of a department with sub-departments are only ever shown as
        part of their department."""
        hidden: set[Hashable] = set()
        for department_id in self.parents:
            if self.children(department_id):
                direct = direct_key(department_id)
                hidden.add(direct)
                hidden.update(cell_key(direct, level) for level in self.levels)
        return hidden

    def suppressed(self, threshold: int) -> tuple[dict[Hashable, int], set[Hashable]]:
        sizes = self.sizes()
        hidden = suppressed_groups(sizes, self.partitions(), threshold, self.never_shown())
        return sizes, hidden
