"""The anonymity gate's decisions for one version of the report, by kind of figure: the
groups, each item, and the lists of comments (assessment/anonymity/decide.py decides;
this keeps the decisions to be stored beside the version)."""

from collections.abc import Callable, Iterable, Mapping

from assessment.anonymity import OrganisationShape
from assessment.anonymity.decide import Published, Table, hidden_groups

from .counts import Counts

# How many people of a department's counts a figure counts at one level.
type Size = Callable[[Counts, int], int]

GROUPS, COMMENTS = "groups", "comments"


def item_kind(question_id: int) -> str:
    return f"item:{question_id}"


class Gate:
    """The anonymity gate's decisions for each kind of figure of one version, made with
    the round's published version in view (assessment/anonymity/decide.py), and kept to
    be stored beside this version. Kinds whose cells, and whose published version, are
    the same get the same decision without deciding again (every required item has the
    sizes of its group)."""

    def __init__(
        self,
        shape: OrganisationShape,
        direct: Mapping[int, Counts],
        last: Mapping[int, Counts] | None,
        last_decisions: Mapping[str, list[str]] | None,
    ) -> None:
        self.shape = shape
        self.direct = direct
        self.last = None if last is None else {d: last.get(d) or Counts() for d in direct}
        self.last_decisions = last_decisions or {}
        self.table = Table(
            members=shape.members,
            partitions=shape.partitions(),
            never_shown=frozenset(shape.never_shown()),
        )
        self.decisions: dict[str, list[str]] = {}
        self._decided: dict[tuple[object, ...], set[str]] = {}

    def _cells(self, parts: Mapping[int, Counts], size: Size) -> dict[str, int]:
        return {
            self.shape.own(d, lv): size(c, lv) for d, c in parts.items() for lv in self.shape.levels
        }

    def sizes(self, size: Size) -> dict[str, int]:
        return self.table.sizes(self._cells(self.direct, size))

    def decide(
        self, kind: str, size: Size, threshold: int, also_hidden: Iterable[str] = ()
    ) -> set[str]:
        cells = self._cells(self.direct, size)
        before = None
        if self.last is not None and kind in self.last_decisions:
            before = Published(
                cells=self._cells(self.last, size),
                hidden=frozenset(self.last_decisions[kind]),
            )
        also_hidden = frozenset(also_hidden)
        key = (
            tuple(sorted(cells.items())),
            threshold,
            also_hidden,
            None if before is None else (tuple(sorted(before.cells.items())), before.hidden),
        )
        if key not in self._decided:
            self._decided[key] = hidden_groups(self.table, cells, threshold, before, also_hidden)
        hidden = self._decided[key]
        self.decisions[kind] = sorted(hidden)
        return hidden
