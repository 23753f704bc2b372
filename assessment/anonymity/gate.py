"""The one anonymity gate. Every aggregate that a page, an export or an API shows passes
through here first; nothing else decides what may be shown.

Two rules, for any quantity that adds up (responses, answers to an item, invitations):

1. A group with fewer than `threshold` members (but more than none) is suppressed.
2. No suppressed group may be recovered by subtraction. Wherever a parent is the sum of
   its children (a department of its sub-departments and its own direct members; a
   department of its levels; a level of its departments), the suppressed children of a
   shown parent must together hold either nobody or at least `threshold` members.
   Otherwise the smallest shown child is suppressed as well, and the rules are applied
   again until nothing changes ("complementary suppression").

Groups that are never shown on their own (the direct members of a department that also has
sub-departments) count as suppressed from the start: they can only be seen by subtraction.

3. No chain of subtractions may recover one either. A suppressed group that is the only
   unknown of some partition can be worked out (a department hidden beside a small one,
   whose levels are all shown), and once known it acts like a shown parent or sibling in
   its other partitions. After rule 2 the gate replays the subtractions an outsider could
   make; while they recover a group below the threshold, or leave a worked-out parent with
   suppressed children holding between one and `threshold` - 1 members, one more shown
   group on that chain is suppressed, and all three rules run again.

What no rule here covers: solving several partitions together as a system of equations
(each on its own leaving two or more unknowns). With departments × levels that needs
unusual shapes; it is the documented limit of this gate.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .thresholds import MIN_THRESHOLD


@dataclass(frozen=True)
class Partition:
    """`parent` is exactly the sum of `children`."""

    parent: str
    children: tuple[str, ...]


def suppressed_groups(
    sizes: Mapping[str, int],
    partitions: Iterable[Partition],
    threshold: int,
    never_shown: Iterable[str] = (),
) -> set[str]:
    """The groups that must not be shown. `sizes` holds every group's member count;
    a group missing from it counts as empty."""
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"An anonymity threshold below {MIN_THRESHOLD} is never allowed.")
    partitions = list(partitions)
    hidden = {group for group, n in sizes.items() if 0 < n < threshold}
    hidden |= set(never_shown)
    while True:
        _suppress_small_remainders(sizes, partitions, threshold, hidden)
        recovered = recoverable_groups(sizes, partitions, hidden)
        extra = _chain_fix(sizes, partitions, threshold, hidden, recovered)
        if extra is None:
            return hidden
        hidden.add(extra)


def _suppress_small_remainders(
    sizes: Mapping[str, int],
    partitions: list[Partition],
    threshold: int,
    hidden: set[str],
) -> None:
    """Rule 2, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for partition in partitions:
            if partition.parent in hidden:
                continue
            hidden_members = sum(sizes.get(c, 0) for c in partition.children if c in hidden)
            if not 0 < hidden_members < threshold:
                continue
            shown = [c for c in partition.children if c not in hidden and sizes.get(c, 0) > 0]
            if shown:
                # The smallest shown sibling costs the least information to give up.
                hidden.add(min(shown, key=lambda c: (sizes.get(c, 0), str(c))))
            else:
                hidden.add(partition.parent)
            changed = True


def _chain_fix(
    sizes: Mapping[str, int],
    partitions: list[Partition],
    threshold: int,
    hidden: set[str],
    recovered: Mapping[str, Partition],
) -> str | None:
    """Rule 3: one more group to suppress, or None when subtraction recovers nothing
    below the threshold, neither a group nor what is left of a known parent once its
    known children are taken away."""
    for group in recovered:
        if 0 < sizes.get(group, 0) < threshold:
            return _cheapest(_chain_support(group, recovered, sizes, hidden), sizes)
    for partition in partitions:
        if partition.parent in hidden and partition.parent not in recovered:
            continue
        unknown = [c for c in partition.children if c in hidden and c not in recovered]
        if not 0 < sum(sizes.get(c, 0) for c in unknown) < threshold:
            continue
        # Suppress a shown child, or stop a child or the parent from being worked out.
        candidates = {c for c in partition.children if c not in hidden and sizes.get(c, 0) > 0}
        for member in (partition.parent, *partition.children):
            if member in recovered:
                candidates |= _chain_support(member, recovered, sizes, hidden)
        return _cheapest(candidates, sizes)
    return None


def _cheapest(groups: set[str], sizes: Mapping[str, int]) -> str:
    # The smallest group costs the least information to give up.
    return min(groups, key=lambda g: (sizes.get(g, 0), str(g)))


def recoverable_groups(
    sizes: Mapping[str, int], partitions: Iterable[Partition], hidden: set[str]
) -> dict[str, Partition]:
    """The suppressed groups that subtraction works out, each with the partition that
    gives it away, in the order an outsider would find them. Shown and empty groups are
    known; a partition with exactly one unknown member gives that member away."""
    partitions = list(partitions)

    def unknown(group: str) -> bool:
        return group in hidden and sizes.get(group, 0) > 0 and group not in recovered

    recovered: dict[str, Partition] = {}
    containing: dict[str, list[int]] = {}
    unknowns: list[int] = []
    for index, partition in enumerate(partitions):
        members = (partition.parent, *partition.children)
        for member in members:
            containing.setdefault(member, []).append(index)
        unknowns.append(sum(1 for m in members if unknown(m)))
    queue = [index for index, count in enumerate(unknowns) if count == 1]
    while queue:
        index = queue.pop()
        partition = partitions[index]
        last = [m for m in (partition.parent, *partition.children) if unknown(m)]
        if len(last) != 1:
            continue
        recovered[last[0]] = partition
        for other in containing[last[0]]:
            unknowns[other] -= 1
            if unknowns[other] == 1:
                queue.append(other)
    return recovered


def _chain_support(
    group: str,
    recovered: Mapping[str, Partition],
    sizes: Mapping[str, int],
    hidden: set[str],
) -> set[str]:
    """The shown groups that working out `group` depends on: suppressing any one breaks
    that chain of subtractions. Never empty: the first group recovered had only shown
    or empty partners, and empty partners alone recover nothing but an empty group."""
    position = {g: i for i, g in enumerate(recovered)}
    shown: set[str] = set()
    pending = [group]
    while pending:
        step = pending.pop()
        partition = recovered[step]
        for member in (partition.parent, *partition.children):
            if member == step or sizes.get(member, 0) == 0:
                continue
            if member not in hidden:
                shown.add(member)
            elif member in position and position[member] < position[step]:
                # Worked out earlier in the chain: follow it back.
                pending.append(member)
    return shown


def is_shown(group: str, hidden: set[str], sizes: Mapping[str, int]) -> bool:
    return group not in hidden and sizes.get(group, 0) > 0
