"""The two steps of an import: a preview that writes nothing, and the import itself."""

from collections.abc import Mapping
from typing import IO

from django.db import IntegrityError, transaction

from assessment.models import LevelKind, Organisation

from .planning import _plan
from .preview import (
    LevelKindsMissing,
    MassDeactivationUnconfirmed,
    RosterChanged,
    RosterImportResult,
    RosterInvalid,
    RosterPreview,
    _ReadFile,
)
from .reading import _bytes, _filename, _read
from .writing import _write


def roster_import_preview(
    *, organisation: Organisation, file: bytes | IO[bytes], filename: str | None = None
) -> RosterPreview:
    """Read and check a roster file and say what importing it would do. Writes nothing.
    `file` is the file's bytes or a binary file object such as an upload; its name (or
    `filename`) decides how it is read."""
    filename = _filename(file, filename)
    read = _read(_bytes(file), filename)
    return _plan(organisation=organisation, read=read, filename=filename)


def roster_import(
    *,
    organisation: Organisation,
    preview: RosterPreview | None = None,
    file: bytes | IO[bytes] | None = None,
    filename: str | None = None,
    confirm_mass_deactivation: bool = False,
    level_kinds: Mapping[str, str] | None = None,
) -> RosterImportResult:
    """Import a roster, from a preview made earlier or from the file itself. The file is
    checked again against the roster as it is now (it may have changed since the preview);
    then everything is written, or nothing. Levels the file names that do not exist are
    created with the kind `level_kinds` gives each (by name, as the preview lists them).
    Raises RosterInvalid, LevelKindsMissing, MassDeactivationUnconfirmed or RosterChanged,
    with nothing written."""
    if preview is not None:
        if preview.organisation_id != organisation.pk:
            raise ValueError("The preview was made for another organisation.")
        read, filename = preview._read, preview.filename
        if read is None:
            raise ValueError("The preview holds no file: make it with roster_import_preview().")
    elif file is not None:
        filename = _filename(file, filename)
        read = _read(_bytes(file), filename)
    else:
        raise TypeError("roster_import() needs a preview or a file.")
    try:
        plan = _import(
            organisation=organisation,
            read=read,
            filename=filename,
            confirm_mass_deactivation=confirm_mass_deactivation,
            level_kinds=level_kinds or {},
        )
    except IntegrityError as error:
        # Someone else added a person or a department with the same e-mail or path between
        # our reading of the roster and our writing: the transaction rolled back whole.
        raise RosterChanged from error
    return RosterImportResult(
        added=plan.added,
        changed=plan.changed,
        reactivated=plan.reactivated,
        deactivated=plan.deactivated,
        unchanged=plan.unchanged,
        departments_created=plan.departments_created,
        levels_created=plan.levels_created,
        preview=plan,
    )


@transaction.atomic
def _import(
    *,
    organisation: Organisation,
    read: _ReadFile,
    filename: str,
    confirm_mass_deactivation: bool,
    level_kinds: Mapping[str, str],
) -> RosterPreview:
    # Two imports into one organisation at once would each deactivate the other's people:
    # they queue on the organisation's row instead.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    plan = _plan(organisation=organisation, read=read, filename=filename)
    if plan.errors:
        raise RosterInvalid(plan)
    kinds = {level.name: level_kinds.get(level.name) for level in plan.levels_to_create}
    missing = [name for name, kind in kinds.items() if kind not in LevelKind.values]
    if missing:
        raise LevelKindsMissing(plan, missing)
    if plan.needs_confirmation and not confirm_mass_deactivation:
        raise MassDeactivationUnconfirmed(plan)
    _write(organisation=organisation, plan=plan, level_kinds=level_kinds)
    return plan
