"""A roster file waits between its preview and the facilitator's confirmation. It holds
names and e-mail addresses, so it is kept under a random name and deleted once imported."""

import datetime
import secrets
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "roster-uploads"
SUFFIXES = (".csv", ".xlsx")
KEEP_FOR = datetime.timedelta(hours=12)


def roster_upload_keep(*, organisation_id: int, filename: str, content: bytes) -> str:
    suffix = PurePath(filename).suffix.lower()
    name = (
        f"{FOLDER}/{organisation_id}-{secrets.token_hex(16)}{suffix if suffix in SUFFIXES else ''}"
    )
    return default_storage.save(name, ContentFile(content))


def roster_upload_read(*, organisation_id: int, name: str) -> bytes | None:
    """The kept file, if the name is one of this organisation's uploads."""
    path = PurePath(name)
    if path.parent.as_posix() != FOLDER or not path.name.startswith(f"{organisation_id}-"):
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as file:
        return file.read()


def roster_upload_discard(*, name: str) -> None:
    if PurePath(name).parent.as_posix() == FOLDER and default_storage.exists(name):
        default_storage.delete(name)


def roster_uploads_purge(*, older_than: datetime.timedelta = KEEP_FOR) -> int:
    """Delete uploads nobody confirmed (a preview abandoned, a tab closed)."""
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for filename in files:
        name = f"{FOLDER}/{filename}"
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            removed += 1
    return removed
