"""Reads of the report's downloads: which file a reader may have now, and where it is.

Only the file of the round's published version is ever found: the one before it is
unreachable from the moment a new version is published, whether or not its file has been
deleted yet."""

from django.core.files.storage import Storage, storages

from assessment.models import Department, ReportDownload, ReportSnapshot, Round


def report_files_storage() -> Storage:
    """Where the downloads are kept (settings.STORAGES["report_files"])."""
    return storages["report_files"]


def report_published_build_id(round_: Round) -> int | None:
    """The build whose version is the round's published report (without reading the
    report itself), or None before the first one."""
    return ReportSnapshot.objects.filter(round=round_).values_list("build_id", flat=True).first()


def report_download_current(
    round_: Round, within: Department | None, export_format: str
) -> ReportDownload | None:
    """The reader's file of the round's published version in this format: a lead's
    (`within` their department) holds only their subtree, and is never another's."""
    build_id = report_published_build_id(round_)
    if build_id is None:
        return None
    return ReportDownload.objects.filter(
        round=round_, build_id=build_id, format=export_format, department=within
    ).first()
