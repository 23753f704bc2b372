"""Rounds: the list, a new round, and each round's page, actions and participation."""

from django.urls import path

from assessment.urls.paths import on_one
from assessment.views.staff import rounds

urlpatterns = [
    path("", rounds.round_list, name="list"),
    path("new/", rounds.round_create, name="create"),
    path("<int:pk>/", rounds.round_detail, name="detail"),
    *on_one(
        edit=rounds.round_edit,
        launch=rounds.round_launch,
        close=rounds.round_close,
        extend=rounds.round_extend,
        reopen=rounds.round_reopen,
        remind=rounds.round_remind,
        participation=rounds.round_participation_page,
    ),
    path(
        "<int:pk>/participation/table/",
        rounds.round_participation_table,
        name="participation-table",
    ),
]
