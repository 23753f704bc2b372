"""The departments and levels a round is about, as they stood at launch: the departments
its invitations were frozen with (and the departments above them, in the tree of that
day), and their levels. Departments moved, renamed or created later never change a round's
participation or report."""

from dataclasses import dataclass

from django.db.models import Q

from assessment.models import Department, Invitation, Level, Round, RoundDepartment


@dataclass(frozen=True)
class FrozenDepartment:
    """A department of a round's tree: `pk` is the department's id."""

    pk: int
    parent_id: int | None
    path: str

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def round_departments(round_: Round) -> list[FrozenDepartment]:
    """The round's departments in path order (parents first)."""
    rows = RoundDepartment.objects.filter(round=round_).order_by("path")
    return [
        FrozenDepartment(pk=pk, parent_id=parent_id, path=path)
        for pk, parent_id, path in rows.values_list("department_id", "parent_id", "path")
    ]


def invited_department_tree(round_: Round) -> list[Department]:
    """The departments a round's invitations name, with every department above them, as
    the tree stands now: what launching freezes."""
    used = set(
        Invitation.objects.filter(round=round_)
        .values_list("department__path", flat=True)
        .distinct()
    )
    paths = set()
    for path in used:
        parts = path.split("/")
        paths.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    if not paths:
        return []
    return list(
        Department.objects.filter(organisation=round_.organisation_id, path__in=paths).order_by(
            "path"
        )
    )


def round_department(round_: Round, department_id: int) -> RoundDepartment | None:
    """A department of the round's tree, with the department as it stands now
    (`.department`), in one query; None when it was not in the round."""
    return (
        RoundDepartment.objects.filter(round=round_, department_id=department_id)
        .select_related("department")
        .first()
    )


def round_department_path(round_: Round, department_id: int) -> str | None:
    """Where a department stood in the round's tree; None when it was not in the round."""
    return (
        RoundDepartment.objects.filter(round=round_, department_id=department_id)
        .values_list("path", flat=True)
        .first()
    )


def round_levels(round_: Round) -> list[Level]:
    used = Invitation.objects.filter(round=round_).values("level_id")
    return list(
        Level.objects.filter(Q(pk__in=used), organisation=round_.organisation_id).order_by(
            "position", "name"
        )
    )
