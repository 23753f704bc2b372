"""The groups of an organisation's report (departments in a tree × levels) and how they
add up: the partitions the gate checks subtraction against."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from .gate import Partition, suppressed_groups

ORGANISATION = "org"

# Groups are named by short strings, so that the gate's decisions can be stored as JSON
# beside the version they were made for: "org", "d12" (department 12 with the departments
# below it), "r12" (the rest of department 12: its own members, when it has
# sub-departments too), and "d12@3" for a group's members at level 3.


def department_key(department_id: int | str) -> str:
    return f"d{department_id}"


def direct_key(department_id: int | str) -> str:
    """The members of a department who are in none of its sub-departments."""
    return f"r{department_id}"


def cell_key(group: str, level_id: int | str) -> str:
    return f"{group}@{level_id}"


def level_key(level_id: int | str) -> str:
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
    def node(department_id: int | None) -> str:
        return ORGANISATION if department_id is None else department_key(department_id)

    def _parts(self, department_id: int | None) -> list[str]:
        """What a department adds up from: its sub-departments, and its direct members
        when it has both."""
        parts: list[str] = [department_key(c) for c in self.children(department_id)]
        if parts and department_id is not None:
            parts.insert(0, direct_key(department_id))
        return parts

    def sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = {}

        def walk(department_id: int | None) -> dict[int, int]:
            # The organisation has nobody of its own, only departments.
            direct = {
                lv: 0 if department_id is None else self.counts.get((department_id, lv), 0)
                for lv in self.levels
            }
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

    def never_shown(self) -> set[str]:
        """Direct members of a department with sub-departments are only ever shown as
        part of their department."""
        hidden: set[str] = set()
        for department_id in self.parents:
            if self.children(department_id):
                direct = direct_key(department_id)
                hidden.add(direct)
                hidden.update(cell_key(direct, level) for level in self.levels)
        return hidden

    def own(self, department_id: int, level_id: int) -> str:
        """The cell of one department's own members at one level: the smallest group, of
        which every other group is a union."""
        node = direct_key(department_id) if self.children(department_id) else None
        return cell_key(node or department_key(department_id), level_id)

    @cached_property
    def members(self) -> dict[str, frozenset[str]]:
        """Every group as the set of cells it is made of."""
        members: dict[str, frozenset[str]] = {}

        def walk(department_id: int | None) -> dict[int, set[str]]:
            per_level: dict[int, set[str]] = {lv: set() for lv in self.levels}
            if department_id is not None:
                own = {lv: self.own(department_id, lv) for lv in self.levels}
                for lv, cell in own.items():
                    per_level[lv].add(cell)
                if self.children(department_id):
                    direct = direct_key(department_id)
                    members[direct] = frozenset(own.values())
                    for lv, cell in own.items():
                        members[cell_key(direct, lv)] = frozenset({cell})
            for child in self.children(department_id):
                for lv, cells in walk(child).items():
                    per_level[lv] |= cells
            node = self.node(department_id)
            for lv, cells in per_level.items():
                members[cell_key(node, lv)] = frozenset(cells)
            members[node] = frozenset().union(*per_level.values())
            return per_level

        walk(None)
        return members

    def cell_sizes(self) -> dict[str, int]:
        """The people in each cell."""
        return {
            self.own(d, lv): self.counts.get((d, lv), 0) for d in self.parents for lv in self.levels
        }

    def suppressed(self, threshold: int) -> tuple[dict[str, int], set[str]]:
        sizes = self.sizes()
        hidden = suppressed_groups(sizes, self.partitions(), threshold, self.never_shown())
        return sizes, hidden
