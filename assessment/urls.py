from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessment.views import home, respondent, room
from assessment.views.staff import (
    commitments,
    dashboard,
    organisation,
    reports,
    roster,
    rounds,
    workshops,
)

respondent_patterns = [
    path("", respondent.start, name="start"),
    path("welcome/", respondent.welcome, name="welcome"),
    path("page/<int:number>/", respondent.page, name="page"),
    path("review/", respondent.review, name="review"),
    path("thanks/", respondent.thanks, name="thanks"),
]

round_patterns = [
    path("", rounds.round_list, name="list"),
    path("new/", rounds.round_create, name="create"),
    path("<int:pk>/", rounds.round_detail, name="detail"),
    path("<int:pk>/edit/", rounds.round_edit, name="edit"),
    path("<int:pk>/launch/", rounds.round_launch, name="launch"),
    path("<int:pk>/close/", rounds.round_close, name="close"),
    path("<int:pk>/extend/", rounds.round_extend, name="extend"),
    path("<int:pk>/reopen/", rounds.round_reopen, name="reopen"),
    path("<int:pk>/remind/", rounds.round_remind, name="remind"),
    path("<int:pk>/participation/", rounds.round_participation_page, name="participation"),
    path(
        "<int:pk>/participation/table/",
        rounds.round_participation_table,
        name="participation-table",
    ),
]

workshop_patterns = [
    path("", workshops.workshop_list, name="list"),
    path("new/", workshops.workshop_create, name="create"),
    path("<int:pk>/", workshops.workshop_detail, name="detail"),
    path("<int:pk>/present/", workshops.workshop_present, name="present"),
    path("<int:pk>/present/live/", workshops.workshop_live, name="live"),
    path("<int:pk>/head-count/", workshops.workshop_head_count, name="head-count"),
    path("<int:pk>/go/", workshops.workshop_go, name="go"),
    path("<int:pk>/pace/", workshops.workshop_pace, name="pace"),
    path("<int:pk>/close/", workshops.workshop_close, name="close"),
    path("<int:pk>/wall/", workshops.workshop_wall_hide, name="wall-hide"),
    path("<int:pk>/count-in-round/", workshops.workshop_count_in_round, name="count-in-round"),
    path("<int:pk>/commitments/", workshops.commitment_add, name="commitment-add"),
    path("<int:pk>/summary/", workshops.workshop_summary, name="summary"),
    path("<int:pk>/summary.pdf", workshops.workshop_summary_pdf, name="summary-pdf"),
]

report_patterns = [
    path("", reports.report_list, name="list"),
    path("<int:pk>/", reports.report_overview, name="overview"),
    path("<int:pk>/departments/<int:department>/", reports.report_department, name="department"),
    path("<int:pk>/questions/<str:code>/", reports.report_question, name="question"),
    path("<int:pk>/comments/", reports.report_comments, name="comments"),
    path("<int:pk>/build/", reports.report_build, name="build"),
    path("<int:pk>/progress/", reports.report_progress, name="progress"),
    path("<int:pk>/report.pdf", reports.report_pdf, name="pdf"),
    path("<int:pk>/report.xlsx", reports.report_xlsx, name="xlsx"),
    path("<int:pk>/report.json", reports.report_json, name="json"),
]

commitment_patterns = [
    path("", commitments.commitment_list, name="list"),
    path("<int:pk>/status/", commitments.commitment_status, name="status"),
]

# A workshop participant's phone; no account, the session holds a random id.
room_patterns = [
    path("", room.now, name="now"),
    path("q/<int:position>/", room.question, name="question"),
    path("state/", room.state, name="state"),
]

roster_patterns = [
    path("", roster.roster_list, name="list"),
    path("import/", roster.roster_upload, name="upload"),
    path("import/confirm/", roster.roster_confirm, name="confirm"),
    path("<int:pk>/erase/", roster.person_erase_page, name="erase"),
]

organisation_patterns = [
    path("", organisation.settings_page, name="settings"),
    path("levels/new/", organisation.level_edit, name="level-add"),
    path("levels/<int:pk>/", organisation.level_edit, name="level-edit"),
    path("departments/new/", organisation.department_edit, name="department-add"),
    path("departments/<int:pk>/", organisation.department_edit, name="department-edit"),
    path("staff/new/", organisation.staff_account_add, name="staff-add"),
]

account_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include(account_patterns)),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("rounds/", include((round_patterns, "rounds"))),
    path("workshops/", include((workshop_patterns, "workshops"))),
    path("reports/", include((report_patterns, "reports"))),
    path("commitments/", include((commitment_patterns, "commitments"))),
    path("roster/", include((roster_patterns, "roster"))),
    path("organisation/", include((organisation_patterns, "organisation"))),
    path("r/<str:token>/", respondent.entry, name="invitation-link"),
    path("respond/", include((respondent_patterns, "respondent"))),
    path("join/", room.join, name="join"),
    path("join/<str:code>/", room.join_workshop, name="join-workshop"),
    path("room/", include((room_patterns, "room"))),
]
