"""Culture reports: the list, and each round's report pages and downloads."""

from django.urls import path

from assessment.urls.paths import on_one
from assessment.views.staff import commitments, report_comments, report_downloads, reports

urlpatterns = [
    path("", reports.report_list, name="list"),
    path("<int:pk>/", reports.report_overview, name="overview"),
    path("<int:pk>/departments/<int:department>/", reports.report_department, name="department"),
    path("<int:pk>/questions/<str:code>/", reports.report_question, name="question"),
    *on_one(
        comments=report_comments.report_comments,
        words=report_comments.report_words,
        build=reports.report_build,
        progress=reports.report_progress,
    ),
    path("<int:pk>/commitments/new/", commitments.commitment_new, name="commitment-new"),
    # Each download's page, its button (POST) and its progress; the stored file itself.
    path(
        "<int:pk>/downloads/<str:export_format>/",
        report_downloads.report_download,
        name="download",
    ),
    path(
        "<int:pk>/downloads/<str:export_format>/start/",
        report_downloads.report_download_start,
        name="download-start",
    ),
    path(
        "<int:pk>/downloads/<str:export_format>/progress/",
        report_downloads.report_download_progress,
        name="download-progress",
    ),
    path("<int:pk>/report.pdf", report_downloads.report_pdf, name="pdf"),
    path("<int:pk>/report.xlsx", report_downloads.report_xlsx, name="xlsx"),
    path("<int:pk>/report.json", report_downloads.report_json, name="json"),
]
