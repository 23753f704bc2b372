"""Instruments: the built-in ones (read-only, copied from here), the organisation's own by
their key (the newest version), and their questions by code."""

from django.urls import path

from assessment.views.staff import instrument_edits as edits
from assessment.views.staff import instruments

urlpatterns = [
    path("", instruments.instrument_list, name="list"),
    path("import/", instruments.instrument_import_file, name="import"),
    path("built-in/<slug:key>/", instruments.instrument_builtin, name="builtin"),
    path("built-in/<slug:key>/preview/", instruments.builtin_preview, name="builtin-preview"),
    path("own/<slug:key>/", edits.instrument_edit, name="edit"),
    path("own/<slug:key>/preview/", instruments.instrument_preview, name="preview"),
    path("own/<slug:key>/export.json", instruments.instrument_export_file, name="export"),
    path("own/<slug:key>/details/", edits.details_edit, name="details"),
    path("own/<slug:key>/pages/<int:position>/", edits.page_edit, name="page"),
    path("own/<slug:key>/add-question/", edits.question_new, name="question-add"),
    path("own/<slug:key>/questions/<slug:code>/", edits.question_change, name="question"),
    path("own/<slug:key>/questions/<slug:code>/move/", edits.question_reorder, name="move"),
    path("own/<slug:key>/questions/<slug:code>/remove/", edits.question_delete, name="remove"),
]
