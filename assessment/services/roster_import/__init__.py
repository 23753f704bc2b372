"""Importing the staff roster from a CSV or XLSX file.

Two steps, so that a facilitator sees what would happen before anything does:

- `roster_import_preview` reads and checks the file and describes what an import would do
  (people to add, change and deactivate, departments and levels to create) or lists every
  problem, each with the line a spreadsheet shows it on (the column names are line 1). It
  writes nothing.
- `roster_import` does it: everything or nothing, in one transaction, after checking the file
  again against the roster as it is by then.

A person is matched by e-mail address (case-insensitively); a person missing from the file is
deactivated, never deleted, so that their past invitations stay as they were.

The package: `service` (the two steps), `reading` (the file, line by line), `planning`
(the file against the roster), `writing`, `preview` (what a preview holds) and `messages`
(every text a facilitator reads).
"""

from .preview import (
    MASS_DEACTIVATION_PERCENT,
    DepartmentToCreate,
    FieldChange,
    LevelKindsMissing,
    LevelToCreate,
    MassDeactivationUnconfirmed,
    PersonLine,
    PersonToAdd,
    PersonToChange,
    PersonToDeactivate,
    RosterChanged,
    RosterImportError,
    RosterImportResult,
    RosterInvalid,
    RosterPreview,
    RosterProblem,
)
from .reading import COLUMN_LABELS, COLUMNS
from .service import roster_import, roster_import_preview

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "MASS_DEACTIVATION_PERCENT",
    "DepartmentToCreate",
    "FieldChange",
    "LevelKindsMissing",
    "LevelToCreate",
    "MassDeactivationUnconfirmed",
    "PersonLine",
    "PersonToAdd",
    "PersonToChange",
    "PersonToDeactivate",
    "RosterChanged",
    "RosterImportError",
    "RosterImportResult",
    "RosterInvalid",
    "RosterPreview",
    "RosterProblem",
    "roster_import",
    "roster_import_preview",
]
