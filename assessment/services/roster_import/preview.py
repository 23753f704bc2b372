"""What a preview holds: the problems found, the changes an import would make, and the
errors an import raises."""

from dataclasses import dataclass, field

from .messages import LEVEL_KINDS_MISSING, MASS_DEACTIVATION, ROSTER_CHANGED, ROSTER_INVALID

# Deactivating more of the active roster than this asks for confirmation: a file exported
# from the wrong sheet, or cut short, must not quietly switch off most of the organisation.
MASS_DEACTIVATION_PERCENT = 40


@dataclass(frozen=True)
class RosterProblem:
    """Why a file (line is None) or one line of it cannot be imported."""

    line: int | None
    message: str
    column: str = ""

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class DepartmentToCreate:
    path: str
    name: str
    parent: str | None  # the parent's path; None for a top-level department


@dataclass(frozen=True)
class LevelToCreate:
    """A level the file names and the organisation has not got: the import creates it,
    once someone has said what kind of level it is."""

    name: str  # as first written in the file; later lines may differ in case
    lines: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class PersonLine:
    """A person as a line of the file has them: the values they will have after the import."""

    line: int
    name: str
    email: str
    department: str  # path
    level: str


@dataclass(frozen=True)
class PersonToAdd(PersonLine):
    """A person the file lists and the roster has not got."""


@dataclass(frozen=True)
class FieldChange:
    """One value an import changes: as it is, and as it will be."""

    field: str  # "name", "department", "level" or "reactivated"
    old: str
    new: str


@dataclass(frozen=True)
class PersonToChange(PersonLine):
    """A person on the roster whom the file gives other values, or who is inactive. The
    e-mail address is the one stored, whatever its case in the file."""

    person_id: int
    changes: tuple[FieldChange, ...]

    @property
    def reactivated(self) -> bool:
        return any(change.field == "reactivated" for change in self.changes)


@dataclass(frozen=True)
class PersonToDeactivate:
    """A person active now whom the file leaves out."""

    person_id: int
    name: str
    email: str
    department: str


@dataclass(frozen=True)
class _Row:
    """One line's cleaned values; None where the cell has a problem already listed."""

    line: int
    name: str | None
    email: str | None
    department: tuple[str, ...] | None
    level: str | None


@dataclass(frozen=True)
class _ReadFile:
    rows: tuple[_Row, ...]
    problems: tuple[RosterProblem, ...]
    ignored_columns: tuple[str, ...]


@dataclass
class RosterPreview:
    """What importing a file would do. When `errors` is not empty, nothing would be imported
    and the lists of changes are empty."""

    organisation_id: int
    filename: str
    lines: int  # people lines read (blank lines are skipped)
    errors: list[RosterProblem] = field(default_factory=list)
    to_add: list[PersonToAdd] = field(default_factory=list)
    to_change: list[PersonToChange] = field(default_factory=list)
    to_deactivate: list[PersonToDeactivate] = field(default_factory=list)
    departments_to_create: list[DepartmentToCreate] = field(default_factory=list)
    levels_to_create: list[LevelToCreate] = field(default_factory=list)
    unchanged: int = 0
    active_before: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    _read: _ReadFile | None = field(default=None, repr=False, compare=False)
    _department_ids: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _level_ids: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def added(self) -> int:
        return len(self.to_add)

    @property
    def changed(self) -> int:
        return len(self.to_change)

    @property
    def reactivated(self) -> int:
        return sum(1 for person in self.to_change if person.reactivated)

    @property
    def deactivated(self) -> int:
        return len(self.to_deactivate)

    @property
    def departments_created(self) -> int:
        return len(self.departments_to_create)

    @property
    def levels_created(self) -> int:
        return len(self.levels_to_create)

    @property
    def deactivation_percent(self) -> int:
        if not self.active_before:
            return 0
        return round(100 * self.deactivated / self.active_before)

    @property
    def needs_confirmation(self) -> bool:
        """Would deactivate more than MASS_DEACTIVATION_PERCENT of the active people."""
        return self.deactivated * 100 > self.active_before * MASS_DEACTIVATION_PERCENT

    @property
    def mass_deactivation_message(self) -> str:
        return MASS_DEACTIVATION.format(
            count=self.deactivated,
            active=self.active_before,
            percent=self.deactivation_percent,
            limit=MASS_DEACTIVATION_PERCENT,
        )


@dataclass(frozen=True)
class RosterImportResult:
    added: int
    changed: int
    reactivated: int
    deactivated: int
    unchanged: int
    departments_created: int
    levels_created: int
    preview: RosterPreview  # what was done, as recomputed when the import ran


class RosterImportError(Exception):
    pass


class RosterInvalid(RosterImportError):
    """The file has problems; `preview.errors` lists them all."""

    def __init__(self, preview: RosterPreview) -> None:
        self.preview = preview
        super().__init__(ROSTER_INVALID.format(count=len(preview.errors)))


class MassDeactivationUnconfirmed(RosterImportError):
    """The import would deactivate too many people without `confirm_mass_deactivation`."""

    def __init__(self, preview: RosterPreview) -> None:
        self.preview = preview
        super().__init__(preview.mass_deactivation_message)


class LevelKindsMissing(RosterImportError):
    """The file names levels that do not exist, and the import was not told what kind of
    level each one is."""

    def __init__(self, preview: RosterPreview, missing: list[str]) -> None:
        self.preview = preview
        self.missing = missing
        super().__init__(
            LEVEL_KINDS_MISSING.format(
                count=len(missing), names=", ".join(f"“{name}”" for name in missing)
            )
        )


class RosterChanged(RosterImportError):
    def __init__(self) -> None:
        super().__init__(ROSTER_CHANGED)
