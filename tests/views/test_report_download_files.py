"""The report's downloads as stored files: a lead's holds nothing outside their subtree,
a new version makes the old files unreachable at once, a worker killed mid-file leaves a
clear "try again" and never a half file served, and any stored text exports.

Tasks run in this process (the test settings); tests/browser/test_report_download_browser.py
runs them on a real worker."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    DOWNLOAD_STALE_AFTER,
    DownloadStatus,
    LevelKind,
    ReportDownload,
    TextAnswer,
)
from assessment.reporting.exports import XlsxExporter
from assessment.selectors.report_downloads import report_files_storage
from assessment.services.report_downloads import (
    report_download_request,
    report_download_write,
    report_downloads_sweep,
)
from config.settings.base import report_files_storage as report_files_storage_setting
from tests.support.report_data import Respondent, write_responses
from tests.support.report_pages import (
    build_report,
    downloaded,
    executive,
    lead,
    pdf_text,
    xlsx_cells,
    xlsx_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def report_files(settings, tmp_path):
    """A storage folder of the test's own: what it finds there is what it wrote."""
    settings.STORAGES = {
        **settings.STORAGES,
        "report_files": report_files_storage_setting(tmp_path / "report-files"),
    }


OUTSIDE_OPERATIONS = ("Treasury", "treasury says", "Compliance", "compliance says")


def file_url(round_, export_format: str) -> str:
    return reverse(f"reports:{export_format}", kwargs={"pk": round_.pk})


def page_url(round_, export_format: str) -> str:
    return reverse("reports:download", kwargs={"pk": round_.pk, "export_format": export_format})


def test_a_leads_files_hold_nothing_outside_their_subtree(tree, organisation):
    round_, departments = tree
    build_report(round_)
    whole = executive(organisation)
    operations = lead(organisation, departments["operations"])
    for export_format in ("xlsx", "pdf", "json"):
        downloaded(whole, round_, export_format)

    # The organisation's files are ready, and are not the lead's.
    for export_format in ("xlsx", "pdf", "json"):
        refused = operations.get(file_url(round_, export_format))
        assert (refused.status_code, refused["Location"]) == (302, page_url(round_, export_format))
    files = {
        "xlsx": xlsx_text(downloaded(operations, round_, "xlsx").content),
        "pdf": pdf_text(downloaded(operations, round_, "pdf").content),
        "json": downloaded(operations, round_, "json").content.decode(),
    }

    for export_format, text in files.items():
        assert "Operations/Logistics" in text, export_format
        assert "logistics says" in text, export_format
        assert [other for other in OUTSIDE_OPERATIONS if other in text] == [], export_format
    assert ReportDownload.objects.filter(department=None).count() == 3
    assert ReportDownload.objects.filter(department=departments["operations"]).count() == 3


def five_more_in_treasury(round_, departments, levels) -> None:
    write_responses(
        round_,
        [
            Respondent(
                department=departments["treasury"],
                level=levels[LevelKind.FRONT_LINE],
                answers={"checklist-01": 3},
            )
            for _ in range(5)
        ],
    )


def test_a_new_version_makes_the_old_files_unreachable_then_they_are_deleted(
    tree, organisation, levels
):
    round_, departments = tree
    build_report(round_)
    client = executive(organisation)
    before = xlsx_cells(downloaded(client, round_, "xlsx").content)
    (old,) = ReportDownload.objects.all()
    storage = report_files_storage()

    # A new version, its transaction's after-commit work (deleting the files) not run yet.
    five_more_in_treasury(round_, departments, levels)
    snapshot = build_report(round_)

    assert snapshot.build_id != old.build_id
    assert not ReportDownload.objects.exists()
    assert storage.exists(old.name)  # still on disk, and unreachable:
    response = client.get(file_url(round_, "xlsx"))
    assert (response.status_code, response["Location"]) == (302, page_url(round_, "xlsx"))
    assert "Prepare the spreadsheet" in client.get(page_url(round_, "xlsx")).content.decode()
    # The sweep deletes what no row names.
    assert report_downloads_sweep(older_than=datetime.timedelta(0)) == 1
    assert not storage.exists(old.name)

    after = xlsx_cells(downloaded(client, round_, "xlsx").content)
    (new,) = ReportDownload.objects.all()
    assert new.build_id == snapshot.build_id
    assert new.name != old.name
    # The new file is the new version's: five more responses.
    responses = [
        next(row[1] for row in sheets["Overview"] if row[0] == "Responses")
        for sheets in (before, after)
    ]
    assert responses == [46, 51]


def test_a_new_version_deletes_the_old_files_once_published(tree, organisation, levels):
    round_, departments = tree
    build_report(round_)
    downloaded(executive(organisation), round_, "pdf")
    (old,) = ReportDownload.objects.all()

    five_more_in_treasury(round_, departments, levels)
    with TestCase.captureOnCommitCallbacks(execute=True):
        build_report(round_)

    assert not report_files_storage().exists(old.name)


class Killed(BaseException):
    """The worker's process dying (SIGKILL): nothing after it runs, no handler sees it."""


def test_a_worker_killed_mid_file_leaves_try_again_and_no_half_file_served(
    tree, organisation, monkeypatch
):
    round_, _ = tree
    build_report(round_)
    client = executive(organisation)
    download = report_download_request(round_=round_, within=None, export_format="xlsx")
    storage = report_files_storage()
    real_save = storage.save

    def dies_while_saving(name, content, **kwargs):
        # Half of the file reaches storage, then the process is gone.
        content.seek(0)
        real_save(name, ContentFile(content.read()[:1000]))
        raise Killed

    monkeypatch.setattr(storage, "save", dies_while_saving)
    with pytest.raises(Killed):
        report_download_write(download_id=download.pk)
    monkeypatch.undo()

    stopped = ReportDownload.objects.get(pk=download.pk)
    assert (stopped.status, stopped.name) == (DownloadStatus.RUNNING, "")
    half_files = list_files(storage)
    assert len(half_files) == 1
    # No file is served: the page shows the file being written...
    response = client.get(file_url(round_, "xlsx"))
    assert (response.status_code, response["Location"]) == (302, page_url(round_, "xlsx"))
    page = client.get(page_url(round_, "xlsx")).content.decode()
    assert "written" in page
    assert "data-hx-get" in page
    # ...until it has not moved for DOWNLOAD_STALE_AFTER: then it says so, plainly.
    ReportDownload.objects.filter(pk=download.pk).update(
        progressed_at=timezone.now() - DOWNLOAD_STALE_AFTER - datetime.timedelta(seconds=1)
    )
    page = client.get(page_url(round_, "xlsx")).content.decode()
    assert "The file was not finished." in page
    assert "Try again" in page
    assert "data-hx-get" not in page
    assert client.get(file_url(round_, "xlsx")).status_code == 302

    # Trying again writes it afresh; the half file is never named and the sweep removes it.
    sheets = xlsx_cells(downloaded(client, round_, "xlsx").content)
    assert "Comments" in sheets
    ready = ReportDownload.objects.get(pk=download.pk)
    assert (ready.status, ready.attempts) == (DownloadStatus.READY, 1)
    assert ready.name not in half_files
    assert report_downloads_sweep(older_than=datetime.timedelta(0)) == 1
    assert list_files(storage) == [ready.name]


def test_a_file_removed_from_storage_is_prepared_again_not_a_broken_link(tree, organisation):
    round_, _ = tree
    build_report(round_)
    client = executive(organisation)
    first = downloaded(client, round_, "xlsx")
    storage = report_files_storage()
    [name] = list_files(storage)
    storage.delete(name)

    response = client.get(file_url(round_, "xlsx"))

    assert (response.status_code, response["Location"]) == (302, page_url(round_, "xlsx"))
    page = client.get(page_url(round_, "xlsx")).content.decode()
    assert "The file was not finished." in page
    assert "no longer in storage" in page
    assert "Try again" in page
    again = downloaded(client, round_, "xlsx")
    assert xlsx_cells(again.content) == xlsx_cells(first.content)


def list_files(storage) -> list[str]:
    folders = [""]
    found = []
    while folders:
        folder = folders.pop()
        children, files = storage.listdir(folder) if storage.exists(folder or ".") else ([], [])
        prefix = f"{folder}/" if folder else ""
        found += [f"{prefix}{name}" for name in files]
        folders += [f"{prefix}{child}" for child in children]
    return sorted(found)


# The workbook the "killed" process left behind is collected later, and complains that its
# file is gone: in a real worker the process, and it, would be gone.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_message_delivered_again_after_a_worker_died_finishes_the_file(
    tree, organisation, monkeypatch
):
    round_, _ = tree
    build_report(round_)
    download = report_download_request(round_=round_, within=None, export_format="xlsx")
    real_write = XlsxExporter.write

    def dies_after_the_first_sheet(self, export, stream, progress=None):
        def moved(percent):
            progress(percent)
            raise Killed

        real_write(self, export, stream, progress=moved)

    monkeypatch.setattr(XlsxExporter, "write", dies_after_the_first_sheet)
    with pytest.raises(Killed):
        report_download_write(download_id=download.pk)
    monkeypatch.undo()
    assert ReportDownload.objects.get(pk=download.pk).progress > 5
    assert list_files(report_files_storage()) == []

    # acks_late: the message comes back to a worker, which writes the whole file.
    report_download_write(download_id=download.pk)

    ready = ReportDownload.objects.get(pk=download.pk)
    assert (ready.status, ready.attempts, ready.progress) == (DownloadStatus.READY, 2, 100)
    content = b"".join(executive(organisation).get(file_url(round_, "xlsx")).streaming_content)
    assert "Comments" in xlsx_cells(content)


# Every C0 control but NUL (PostgreSQL holds none), DEL, every C1 control, the two
# noncharacters XML refuses, and a formula behind a control.
EVERY_CONTROL = "".join(chr(c) for c in [*range(1, 32), *range(0x7F, 0xA0)]) + "\ufffe\uffff"


def test_any_stored_text_exports_in_every_format(tree, organisation):
    round_, departments = tree
    # Stored straight into the table, as text written before cleaning existed was.
    comments = TextAnswer.objects.filter(
        round=round_, is_comment=True, department=departments["logistics"]
    ).order_by("text")
    texts = [f"Before{EVERY_CONTROL}after", f"\x01=SUM(A1){EVERY_CONTROL}"]
    for comment, text in zip(comments, texts, strict=False):
        comment.text = text
        comment.save(update_fields=["text"])
    build_report(round_)
    client = executive(organisation)

    sheets = xlsx_cells(downloaded(client, round_, "xlsx").content)
    printed = pdf_text(downloaded(client, round_, "pdf").content)
    data = downloaded(client, round_, "json").content.decode()

    written = [row[3] for row in sheets["Comments"][1:] if row[3]]
    # Tab kept; LF, VT, FF, CR and NEL each a line break; everything else removed.
    assert "Before\t\n\n\n\n\nafter" in written
    assert "'=SUM(A1)\t\n\n\n\n\n" in written
    assert "Before" in printed and "=SUM(A1)" in printed
    assert "Before\\t\\n\\n\\n\\n\\nafter" in data
