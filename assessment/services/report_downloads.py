"""The report's downloads, written by a worker into a stored file.

A download is a row with a status (`ReportDownload`), one per published version, format
and reader scope: a reader's click asks for it (`report_download_request`), a worker
writes the file (`report_download_write`) under a local temporary name, saves it to the
report files' storage and names it on the row in the one transaction that marks it
ready. A worker killed on the way leaves the row running without a file: the page calls
it stopped once it has not moved for DOWNLOAD_STALE_AFTER and offers to try again, and the
half-written file is never named anywhere (the sweep deletes it). A new version deletes
the rows of the one before it in the transaction that publishes it, and their files once
that has committed."""

import datetime
import logging
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from assessment.models import (
    Department,
    DownloadStatus,
    ReportDownload,
    ReportSnapshot,
    Round,
)
from assessment.reporting.exports import EXPORTERS, ReportExport, XlsxExporter, report_export
from assessment.selectors.report_downloads import report_files_storage

from .queueing import publish_once, task_named

logger = logging.getLogger(__name__)

DOWNLOAD_TASK = "assessment.tasks.downloads.report_download_task"
NO_REPORT = "This round has no published report yet: there is nothing to download."
# A file whose worker dies this many times (each redelivery of its message is another
# try) is given up rather than retried for ever.
MAX_ATTEMPTS = 3
STOPPED = "The file could not be prepared: its worker stopped {attempts} times."
LOST = "The prepared file is no longer in storage (it was removed there)."
# How often a worker writing a file says it is alive (see DOWNLOAD_STALE_AFTER).
HEARTBEAT = datetime.timedelta(seconds=30)
# A stored file no row names is deleted by the sweep once this old: a worker may be
# saving it, to name it a moment later.
SWEEP_AFTER = datetime.timedelta(hours=1)


@transaction.atomic
def report_download_request(
    *, round_: Round, within: Department | None, export_format: str
) -> ReportDownload:
    """The reader's file of the published version: the ready one, the one being written,
    or a new one queued for a worker (again, after a failure or a stop)."""
    # Locked against a version being published meanwhile: the file is asked of the
    # version that is published when this commits.
    snapshot = (
        ReportSnapshot.objects.select_for_update(no_key=True)
        .only("pk", "build_id")
        .filter(round=round_)
        .first()
    )
    if snapshot is None:
        raise ValidationError(NO_REPORT)
    download, created = ReportDownload.objects.select_for_update().get_or_create(
        build_id=snapshot.build_id,
        format=export_format,
        department=within,
        defaults={"round": round_},
    )
    if not created and (download.is_ready or (download.is_active and not download.is_stale)):
        return download
    if not created:
        download.status = DownloadStatus.QUEUED
        download.progress = 0
        download.error = ""
        download.attempts = 0
        download.started_at = download.finished_at = None
        download.progressed_at = timezone.now()
        download.save()
    transaction.on_commit(partial(report_download_dispatch, download.pk))
    return download


def report_download_dispatch(download_id: int) -> None:
    """One message to the workers; if the broker does not take it, the row stays queued
    until it is stale and the reader tries again."""
    publish_once(task_named(DOWNLOAD_TASK), download_id)


@transaction.atomic
def _start(download_id: int) -> ReportDownload | None:
    """Take the row for writing; None when there is nothing to write: the file is ready,
    or its version has been replaced (its row deleted), or it stopped too often."""
    download = (
        ReportDownload.objects.select_for_update(of=("self",))
        .select_related("round__organisation", "department")
        .filter(pk=download_id)
        .first()
    )
    if download is None or download.is_ready:
        return None
    download.attempts += 1
    if download.attempts > MAX_ATTEMPTS:
        download.status = DownloadStatus.FAILED
        download.error = STOPPED.format(attempts=MAX_ATTEMPTS)
        download.save(update_fields=["status", "error"])
        return None
    download.status = DownloadStatus.RUNNING
    download.started_at = download.progressed_at = timezone.now()
    download.save(update_fields=["status", "attempts", "started_at", "progressed_at"])
    return download


def _export_of(download: ReportDownload) -> ReportExport:
    """The report as the file's reader may see it: the one place a download reads the
    published report (through the report's reading API, limited to the scope)."""
    snapshot = ReportSnapshot.objects.select_related("round", "build").get(
        build_id=download.build_id
    )
    exporter = EXPORTERS[download.format]
    return report_export(download.round, snapshot, download.department, texts=exporter.texts)


def _moved_on(download_id: int, percent: int) -> None:
    ReportDownload.objects.filter(pk=download_id, status=DownloadStatus.RUNNING).update(
        progress=min(percent, 99), progressed_at=timezone.now()
    )


@contextmanager
def _heartbeat(download_id: int) -> Iterator[None]:
    """Move the row on every HEARTBEAT while this process writes, whatever the step (the
    PDF is drawn in one long call): a row that stops moving is a process that died."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT.total_seconds()):
                ReportDownload.objects.filter(pk=download_id, status=DownloadStatus.RUNNING).update(
                    progressed_at=timezone.now()
                )
        finally:
            connection.close()  # the thread's own

    thread = threading.Thread(target=beat, name=f"download-{download_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _file_name(download: ReportDownload) -> str:
    # Unguessable, though nothing serves the folder: the view names files from the row.
    return (
        f"{download.round_id}/{download.build_id}/"
        f"{download.format}-{secrets.token_hex(16)}.{EXPORTERS[download.format].extension}"
    )


def report_download_write(*, download_id: int) -> None:
    """Write the file, save it to storage and mark it ready in one transaction."""
    download = _start(download_id)
    if download is None:
        return
    _moved_on(download.pk, 5)
    exporter = EXPORTERS[download.format]
    with tempfile.TemporaryFile() as temporary, _heartbeat(download.pk):
        # The export is handed over, not kept here: the PDF lets it go before its layout.
        if isinstance(exporter, XlsxExporter):
            progress = partial(_moved_on, download.pk)
            exporter.write(_export_of(download), temporary, progress=progress)
        else:
            exporter.write(_export_of(download), temporary)
        size = temporary.tell()
        temporary.seek(0)
        _moved_on(download.pk, 95)
        name = report_files_storage().save(_file_name(download), File(temporary))
    _finish(download.pk, name, size)


@transaction.atomic
def _finish(download_id: int, name: str, size: int) -> None:
    download = ReportDownload.objects.select_for_update().filter(pk=download_id).first()
    if download is None or download.is_ready:
        # Its version was replaced meanwhile, or a second delivery was quicker.
        transaction.on_commit(partial(_delete_files, [name]))
        return
    download.name = name
    download.size = size
    download.status = DownloadStatus.READY
    download.progress = 100
    download.error = ""
    download.finished_at = download.progressed_at = timezone.now()
    download.save()


def report_download_fail(*, download_id: int, error: str) -> None:
    """Record why the file could not be written (a task's failure hook)."""
    ReportDownload.objects.filter(pk=download_id).exclude(status=DownloadStatus.READY).update(
        status=DownloadStatus.FAILED, error=error, finished_at=timezone.now()
    )


def report_download_lost(*, download_id: int) -> None:
    """A ready file that storage no longer holds: failed, so that its page says so and
    offers to prepare it again, rather than the link failing."""
    ReportDownload.objects.filter(pk=download_id, status=DownloadStatus.READY).update(
        status=DownloadStatus.FAILED, error=LOST, name="", size=None, finished_at=timezone.now()
    )


def _delete_files(names: list[str]) -> None:
    storage = report_files_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Report file %s was not deleted; the sweep will", name)


def report_downloads_discard(*, round_id: int, keep_build_id: int | None = None) -> int:
    """Delete the round's downloads but those of `keep_build_id` (the version being
    published), rows now and files once the transaction has committed."""
    old = ReportDownload.objects.filter(round_id=round_id)
    if keep_build_id is not None:
        old = old.exclude(build_id=keep_build_id)
    names = [name for name in old.values_list("name", flat=True) if name]
    deleted, _ = old.delete()
    if names:
        transaction.on_commit(partial(_delete_files, names))
    return deleted


def report_downloads_sweep(*, older_than: datetime.timedelta = SWEEP_AFTER) -> int:
    """Delete what no reader can reach: the rows of versions no longer published, and
    every stored file no row names (a deleted round's, or one a killed worker was still
    saving), once older than `older_than`. How many files were deleted."""
    published = ReportSnapshot.objects.filter(
        round_id=OuterRef("round_id"), build_id=OuterRef("build_id")
    )
    gone = ReportDownload.objects.exclude(Exists(published))
    _delete_files([name for name in gone.values_list("name", flat=True) if name])
    gone.delete()
    named = set(ReportDownload.objects.exclude(name="").values_list("name", flat=True))
    cutoff = timezone.now() - older_than
    storage = report_files_storage()
    orphans = [
        name
        for name in _stored_names(storage, "")
        if name not in named and storage.get_modified_time(name) < cutoff
    ]
    _delete_files(orphans)
    return len(orphans)


def _stored_names(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for file_name in files:
        yield f"{prefix}{file_name}"
    for child in folders:
        yield from _stored_names(storage, f"{prefix}{child}")
