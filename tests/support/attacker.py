"""An attacker who keeps everything a reader was ever shown and solves it exactly.

Written apart from assessment/anonymity/ and without its model of cells, steps or atoms:
it sees only, for every figure a reader downloaded (in any version), the set of real
people whose answers make it up (the test that drives it knows who they are), less the
fake participants it made up itself, whose answers it knows. Every published figure is a
sum over its people, so the attacker can solve for exactly the sums whose indicator lies
in the span of what was published. It looks for any set of real people with fewer than
`threshold` verified among them (invited people who answered through their link) that it
can solve for, by exact rational arithmetic and by trying every such set.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

Person = Hashable

# Sets of more people classes than this are not tried: with the sizes the tests draw, a
# union of fewer than the threshold of verified people never needs more.
MAX_CLASSES = 5


@dataclass(frozen=True)
class Recovered:
    people: frozenset
    verified: int


def _null_space(rows: list[list[int]], width: int) -> list[list[Fraction]]:
    """A basis of {x : rows · x = 0}, exactly."""
    matrix = [[Fraction(v) for v in row] for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [v / lead for v in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
    free = [c for c in range(width) if c not in pivots]
    basis = []
    for f in free:
        vector = [Fraction(0)] * width
        vector[f] = Fraction(1)
        for row, column in enumerate(pivots):
            vector[column] = -matrix[row][f]
        basis.append(vector)
    return basis


def _classes(
    rows: list[frozenset], people: list[Person]
) -> tuple[list[list[Person]], list[list[int]]]:
    """The classes of people, and for each figure (a row) which classes it adds up."""
    # People who appear in exactly the same figures can never be told apart: a class.
    signature: dict[Person, tuple[int, ...]] = {
        p: tuple(i for i, row in enumerate(rows) if p in row) for p in people
    }
    classes: dict[tuple[int, ...], list[Person]] = {}
    for person in people:
        classes.setdefault(signature[person], []).append(person)
    members = list(classes.values())
    index = {sig: i for i, sig in enumerate(classes)}
    matrix = [[0] * len(members) for _ in rows]
    for sig, i in index.items():
        for row in sig:
            matrix[row][i] = 1
    return members, matrix


def recoverable(
    published: Iterable[frozenset],
    verified: Iterable[Person],
    threshold: int,
) -> list[Recovered]:
    """Every set of people with 1 to threshold − 1 verified among them, or with real but
    no verified people at all, whose sum the published figures determine. `published`
    holds, for each figure, the real people it adds up (fakes already taken out)."""
    rows = [row for row in published if row]
    verified = set(verified)
    people = sorted({p for row in rows for p in row}, key=repr)
    if not people:
        return []
    members, matrix = _classes(rows, people)
    null = _null_space(matrix, len(members))
    weights = [sum(1 for p in group if p in verified) for group in members]
    small = [i for i, w in enumerate(weights) if w < threshold]
    found = []

    def determined(chosen: Sequence[int]) -> bool:
        return all(sum(vector[i] for i in chosen) == 0 for vector in null)

    def search(start: int, chosen: list[int], weight: int) -> None:
        if chosen and determined(chosen):
            found.append(
                Recovered(
                    people=frozenset(p for i in chosen for p in members[i]),
                    verified=weight,
                )
            )
        if len(chosen) == MAX_CLASSES:
            return
        for position in range(start, len(small)):
            i = small[position]
            if weight + weights[i] < threshold:
                search(position + 1, [*chosen, i], weight + weights[i])

    search(0, [], 0)
    return found
