"""Culture reports: the list, and each round's report pages and downloads."""

from django.urls import path

from assessment.urls.paths import on_one
from assessment.views.staff import commitments, report_comments, reports

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
    path("<int:pk>/report.pdf", reports.report_pdf, name="pdf"),
    path("<int:pk>/report.xlsx", reports.report_xlsx, name="xlsx"),
    path("<int:pk>/report.json", reports.report_json, name="json"),
]
