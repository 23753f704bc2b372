"""What a reader can solve for, exactly, from the groups a report publishes.

Every figure a report shows about a group (how many answered, how many chose each answer,
which comments were written) is the sum of the same figure over the group's *cells*: one
department's own members at one level. So whatever a reader can work out from the
published groups, by any chain of additions and subtractions, is a linear combination of
them. A set of cells is *determined* when the sum over it is such a combination; the
promise is that no set of cells holding between one and threshold − 1 people is.

Two checks, both exact (integer linear algebra, python-flint):

- `small_union_determined`, for one table on its own: the union of cells is determined
  exactly when its indicator is orthogonal to every solution of "all published sums are
  zero" (the table's null space). Only cells with fewer than threshold people can be in a
  small union, so the search is an integer programme over those cells alone (HiGHS,
  through scipy), whose answer is then checked exactly.
- `new_knowledge`, for a version that follows a published one: whether the new version
  tells a reader anything about the people already counted that the last version did not
  (see its docstring). Cells only ever move by at least the threshold of new people
  (assessment/anonymity/steps.py), so nothing else can single anyone out.

Empty cells count as known: a roster tells a reader where nobody is.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import flint
import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

Cell = str
Group = str

# The integer programme is solved in floating point; each answer it gives is checked in
# exact arithmetic, and one that fails the check is cut off and the programme run again.
# Checks that fail do not happen with the 0/1 tables reports are made of; the cap only
# keeps a bug from looping.
MAX_ROUNDING_RETRIES = 20


def _matrix(rows: Sequence[Iterable[int]], width: int) -> flint.fmpz_mat:
    flat = [int(v) for row in rows for v in row]
    return flint.fmpz_mat(len(rows), width, flat)


def _indicator(cells: frozenset[Cell], columns: Mapping[Cell, int]) -> list[int]:
    row = [0] * len(columns)
    for cell in cells:
        index = columns.get(cell)
        if index is not None:
            row[index] = 1
    return row


def _null_space(matrix: flint.fmpz_mat) -> list[list[int]]:
    """A basis of {x : matrix · x = 0}, as integer vectors."""
    basis, nullity = matrix.nullspace()
    return [[int(basis[i, j]) for i in range(matrix.ncols())] for j in range(nullity)]


@dataclass(frozen=True)
class Determined:
    """A set of cells a reader can solve for, and the published groups that solve it."""

    cells: frozenset[Cell]
    people: int
    by: frozenset[Group]


def small_union_determined(
    members: Mapping[Group, frozenset[Cell]],
    shown: Iterable[Group],
    sizes: Mapping[Cell, int],
    threshold: int,
) -> Determined | None:
    """The smallest set of cells of 1 to threshold − 1 people that the `shown` groups
    determine, or None when there is none."""
    shown = sorted(g for g in shown if any(sizes.get(c, 0) for c in members[g]))
    columns = sorted({c for g in shown for c in members[g] if sizes.get(c, 0) > 0})
    small = [c for c in columns if sizes[c] < threshold]
    if not shown or not small:
        return None
    index = {cell: i for i, cell in enumerate(columns)}
    published = _matrix([_indicator(members[g], index) for g in shown], len(columns))
    null = _null_space(published)
    # Each small cell's coordinates in the null space: a set of cells is determined when
    # these add up to zero over it.
    coordinates = [[vector[index[c]] for c in small] for vector in null]
    found = _smallest_zero_sum(coordinates, [sizes[c] for c in small], threshold - 1)
    if found is None:
        return None
    cells = frozenset(small[i] for i in found)
    return Determined(
        cells=cells,
        people=sum(sizes[c] for c in cells),
        by=_solving_groups(published, shown, _indicator(cells, index)),
    )


def _smallest_zero_sum(
    coordinates: list[list[int]], weights: list[int], budget: int
) -> list[int] | None:
    """Indices of a nonempty subset of columns whose coordinates sum to zero and whose
    weights sum to at most `budget`, the lightest there is; None when there is none."""
    count = len(weights)
    if not coordinates:
        # No null space: every cell is known on its own.
        lightest = min(range(count), key=lambda i: weights[i])
        return [lightest] if weights[lightest] <= budget else None
    constraints = [
        LinearConstraint(np.array(coordinates, dtype=float), 0, 0),
        LinearConstraint(np.array([weights], dtype=float), 1, budget),
    ]
    for _ in range(MAX_ROUNDING_RETRIES):
        result = milp(
            c=np.array(weights, dtype=float),
            constraints=constraints,
            integrality=np.ones(count),
            bounds=Bounds(0, 1),
        )
        if result.status != 0 or result.x is None:
            return None
        chosen = [i for i in range(count) if result.x[i] > 0.5]
        exact = all(sum(row[i] for i in chosen) == 0 for row in coordinates)
        if chosen and exact and sum(weights[i] for i in chosen) <= budget:
            return chosen
        cut = np.zeros(count)
        cut[chosen] = 1
        constraints.append(LinearConstraint(np.array([cut]), -np.inf, len(chosen) - 1))
    raise RuntimeError("The disclosure search did not settle on an exact answer.")


def _solving_groups(
    published: flint.fmpz_mat, shown: list[Group], target: list[int]
) -> frozenset[Group]:
    """Published groups that one way of solving for `target` adds or subtracts."""
    # Solve published^T · λ = target: one particular solution from the reduced form.
    transposed = published.transpose()
    entries: list[int | flint.fmpz] = []
    for i in range(transposed.nrows()):
        entries.extend(transposed[i, j] for j in range(transposed.ncols()))
        entries.append(target[i])
    augmented = flint.fmpq_mat(transposed.nrows(), transposed.ncols() + 1, entries)
    reduced, rank = augmented.rref()
    used = set()
    last = augmented.ncols() - 1
    for row in range(rank):
        pivot = next(j for j in range(augmented.ncols()) if reduced[row, j] != 0)
        if pivot < last and reduced[row, last] != 0:
            used.add(shown[pivot])
    return frozenset(used)


def new_knowledge(
    members: Mapping[Group, frozenset[Cell]],
    shown: Iterable[Group],
    shown_before: Iterable[Group],
    moved: Iterable[Cell],
    counted_before: Iterable[Cell],
) -> frozenset[Group] | None:
    """Whether publishing `shown` now, after `shown_before` was published, tells a reader
    more about the people the last version counted than that version did; if so, the
    newly shown groups that do it (hiding any one of them may be enough).

    Between the two versions, the cells in `moved` each gained at least the threshold of
    new people (`counted_before`: the cells that had anyone in the last version). A group
    shown in both versions tells the reader only what its moved cells gained, and such
    gains are groups of at least the threshold. A newly shown group tells the old value of
    its cells plus what they gained. A reader who can cancel every gain out of a
    combination of published sums learns a combination of old values; it must be one the
    last version already published. When that holds for every such combination, the
    versions together determine exactly what each one did alone."""
    shown = sorted(shown)
    before = set(shown_before)
    new = [g for g in shown if g not in before]
    if not new:
        return None
    moved_index = {c: i for i, c in enumerate(sorted(set(moved)))}
    old_index = {c: i for i, c in enumerate(sorted(set(counted_before)))}
    gains = _matrix([_indicator(members[g], moved_index) for g in shown], len(moved_index))
    # Combinations of published groups in which every gain cancels out.
    if moved_index:
        cancelling = _null_space(gains.transpose())
    else:
        cancelling = [[int(i == j) for j in range(len(shown))] for i in range(len(shown))]
    known_rows = [_indicator(members[g], old_index) for g in sorted(before)]
    # A combination of old values is already known when it is orthogonal to every way the
    # old values could differ and still give the last version's figures.
    if known_rows:
        unknowable = _null_space(_matrix(known_rows, len(old_index)))
    else:
        unknowable = [[int(i == j) for j in range(len(old_index))] for i in range(len(old_index))]
    position = {g: i for i, g in enumerate(shown)}
    old_values = {g: _indicator(members[g], old_index) for g in new}
    for combination in cancelling:
        learnt = [0] * len(old_index)
        used = []
        for group in new:
            weight = combination[position[group]]
            if not weight:
                continue
            used.append(group)
            for i, v in enumerate(old_values[group]):
                learnt[i] += weight * v
        if any(sum(a * b for a, b in zip(learnt, z, strict=True)) for z in unknowable):
            return frozenset(used)
    return None
