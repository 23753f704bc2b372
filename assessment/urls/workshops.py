"""Workshops: the list, a new workshop, and each one's control room, presenter screen and
summary."""

from django.urls import path

from assessment.urls.paths import on_one
from assessment.views.staff import workshops

urlpatterns = [
    path("", workshops.workshop_list, name="list"),
    path("new/", workshops.workshop_create, name="create"),
    path("<int:pk>/", workshops.workshop_detail, name="detail"),
    *on_one(
        present=workshops.workshop_present,
        go=workshops.workshop_go,
        pace=workshops.workshop_pace,
        close=workshops.workshop_close,
        summary=workshops.workshop_summary,
    ),
    path("<int:pk>/present/live/", workshops.workshop_live, name="live"),
    path("<int:pk>/head-count/", workshops.workshop_head_count, name="head-count"),
    path("<int:pk>/wall/", workshops.workshop_wall_hide, name="wall-hide"),
    path("<int:pk>/count-in-round/", workshops.workshop_count_in_round, name="count-in-round"),
    path("<int:pk>/commitments/", workshops.commitment_add, name="commitment-add"),
    path("<int:pk>/summary.pdf", workshops.workshop_summary_pdf, name="summary-pdf"),
]
