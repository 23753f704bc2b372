"""Comparing a checked file with the roster as it is now: what an import would add, change,
deactivate and create. A constant number of queries, however long the file."""

from dataclasses import dataclass
from typing import NamedTuple

from assessment.models import Department, Level, Organisation, Person

from .preview import (
    DepartmentToCreate,
    FieldChange,
    LevelToCreate,
    PersonToAdd,
    PersonToChange,
    PersonToDeactivate,
    RosterPreview,
    RosterProblem,
    _ReadFile,
    _Row,
)
from .reading import COLUMNS


@dataclass(frozen=True)
class _Line:
    """A line with no problem: every value is there, and its level is known."""

    line: int
    name: str
    email: str
    department: tuple[str, ...]
    level_id: int


class _Stored(NamedTuple):
    pk: int
    name: str
    email: str
    department_id: int
    level_id: int
    is_active: bool


def _plan(*, organisation: Organisation, read: _ReadFile, filename: str) -> RosterPreview:
    """What importing the checked lines would do to the roster as it is now."""
    preview = RosterPreview(
        organisation_id=organisation.pk,
        filename=filename,
        lines=len(read.rows),
        ignored_columns=list(read.ignored_columns),
        _read=read,
    )
    if not read.rows:
        preview.errors = list(read.problems)
        return preview
    levels = list(Level.objects.filter(organisation=organisation).values_list("pk", "name"))
    row_levels, preview.levels_to_create = _row_levels(read.rows, levels)
    if read.problems:
        preview.errors = sorted(read.problems, key=_problem_order)
        return preview
    # A level to create stands in the plan under a negative id until writing creates it.
    level_names = dict(levels) | {
        -number: level.name for number, level in enumerate(preview.levels_to_create, start=1)
    }
    _compare(preview, organisation, _lines(read.rows, row_levels), level_names)
    return preview


def _row_levels(
    rows: tuple[_Row, ...], levels: list[tuple[int, str]]
) -> tuple[dict[int, int], list[LevelToCreate]]:
    """Each line's level id, by line, matching a name exactly first, then case-insensitively;
    and the levels the file names that do not exist, in the order the file first names
    them. A line of a level to create gets that level's stand-in id (-1, -2, …)."""
    exact = {name: pk for pk, name in levels}
    folded: dict[str, int] = {}
    for pk, name in levels:
        folded.setdefault(name.casefold(), pk)
    new: dict[int, tuple[str, list[int]]] = {}
    row_levels: dict[int, int] = {}
    for row in rows:
        if row.level is None:
            continue
        level_id = exact.get(row.level) or folded.get(row.level.casefold())
        if level_id is None:
            level_id = -(len(new) + 1)
            exact[row.level] = folded[row.level.casefold()] = level_id
            new[level_id] = (row.level, [])
        if level_id < 0:
            new[level_id][1].append(row.line)
        row_levels[row.line] = level_id
    to_create = [LevelToCreate(name=name, lines=tuple(lines)) for name, lines in new.values()]
    return row_levels, to_create


def _lines(rows: tuple[_Row, ...], row_levels: dict[int, int]) -> list[_Line]:
    # Called once the file has no problem: a line missing a value would have one.
    return [
        _Line(row.line, row.name, row.email, row.department, row_levels[row.line])
        for row in rows
        if row.name is not None and row.email is not None and row.department is not None
    ]


def _compare(
    preview: RosterPreview,
    organisation: Organisation,
    lines: list[_Line],
    level_names: dict[int, str],
) -> None:
    departments = Department.objects.filter(organisation=organisation).order_by("path", "pk")
    department_ids = dict(departments.values_list("path", "pk"))
    department_paths = {pk: path for path, pk in department_ids.items()}
    resolve = _DepartmentResolver(department_ids)
    people = Person.objects.filter(organisation=organisation).order_by()
    existing = {
        stored.email.lower(): stored
        for stored in map(
            _Stored._make,
            people.values_list("pk", "name", "email", "department_id", "level_id", "is_active"),
        )
    }
    for line in lines:
        department = resolve(line.department)
        stored = existing.get(line.email)
        if stored is None:
            preview.to_add.append(
                PersonToAdd(
                    line=line.line,
                    name=line.name,
                    email=line.email,
                    department=department,
                    level=level_names[line.level_id],
                )
            )
            continue
        changes = _changes(stored, line, department, level_names, department_paths)
        if changes:
            preview.to_change.append(
                PersonToChange(
                    line=line.line,
                    person_id=stored.pk,
                    email=stored.email,
                    name=line.name,
                    department=department,
                    level=level_names[line.level_id],
                    changes=changes,
                )
            )
        else:
            preview.unchanged += 1
    _deactivations(preview, existing, {line.email for line in lines}, department_paths)
    preview.departments_to_create = resolve.created
    preview._department_ids = department_ids
    preview._level_ids = {name: pk for pk, name in level_names.items()}


def _changes(
    stored: _Stored,
    line: _Line,
    department: str,
    level_names: dict[int, str],
    department_paths: dict[int, str],
) -> tuple[FieldChange, ...]:
    changes = []
    if stored.name != line.name:
        changes.append(FieldChange(field="name", old=stored.name, new=line.name))
    old_department = department_paths[stored.department_id]
    if old_department != department:
        changes.append(FieldChange(field="department", old=old_department, new=department))
    if stored.level_id != line.level_id:
        old_level, new_level = level_names[stored.level_id], level_names[line.level_id]
        changes.append(FieldChange(field="level", old=old_level, new=new_level))
    if not stored.is_active:
        changes.append(FieldChange(field="reactivated", old="inactive", new="active"))
    return tuple(changes)


def _deactivations(
    preview: RosterPreview,
    existing: dict[str, _Stored],
    in_file: set[str],
    department_paths: dict[int, str],
) -> None:
    """Counts the people active now and lists those the file leaves out."""
    for email, stored in existing.items():
        if not stored.is_active:
            continue
        preview.active_before += 1
        if email not in in_file:
            preview.to_deactivate.append(
                PersonToDeactivate(
                    person_id=stored.pk,
                    name=stored.name,
                    email=stored.email,
                    department=department_paths[stored.department_id],
                )
            )
    preview.to_deactivate.sort(key=lambda person: (person.name, person.email))


def _problem_order(problem: RosterProblem) -> tuple[int, int]:
    column = COLUMNS.index(problem.column) if problem.column else -1
    return problem.line or 0, column


class _DepartmentResolver:
    """Turns a file's department path into the path of an existing department or of one to
    create, part by part. Paths match exactly first, then case-insensitively, so that
    “sales/north” joins an existing “Sales” rather than starting a second tree."""

    def __init__(self, department_ids: dict[str, int]) -> None:
        self.exact = set(department_ids)
        self.folded: dict[str, str] = {}
        for path in department_ids:
            self.folded.setdefault(path.casefold(), path)
        self.created: list[DepartmentToCreate] = []
        self.resolved: dict[tuple[str, ...], str] = {}

    def __call__(self, parts: tuple[str, ...]) -> str:
        if parts in self.resolved:
            return self.resolved[parts]
        path = ""  # the parts are never empty, so neither is a path
        for part in parts:
            wanted = f"{path}/{part}" if path else part
            if wanted not in self.exact:
                found = self.folded.get(wanted.casefold())
                if found is None:
                    parent = path or None
                    self.created.append(DepartmentToCreate(path=wanted, name=part, parent=parent))
                    self.exact.add(wanted)
                    self.folded[wanted.casefold()] = wanted
                else:
                    wanted = found
            path = wanted
        self.resolved[parts] = path
        return path
