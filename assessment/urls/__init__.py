"""The site's addresses; rounds, workshops and reports have a module each beside this one."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessment.views import home, respondent, room
from assessment.views.staff import commitments, dashboard, organisation, roster

respondent_patterns = [
    path("", respondent.start, name="start"),
    path("welcome/", respondent.welcome, name="welcome"),
    path("page/<int:number>/", respondent.page, name="page"),
    path("review/", respondent.review, name="review"),
    path("thanks/", respondent.thanks, name="thanks"),
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
    path("rounds/", include(("assessment.urls.rounds", "rounds"))),
    path("workshops/", include(("assessment.urls.workshops", "workshops"))),
    path("instruments/", include(("assessment.urls.instruments", "instruments"))),
    path("reports/", include(("assessment.urls.reports", "reports"))),
    path("commitments/", include((commitment_patterns, "commitments"))),
    path("roster/", include((roster_patterns, "roster"))),
    path("organisation/", include((organisation_patterns, "organisation"))),
    path("r/<str:token>/", respondent.entry, name="invitation-link"),
    path("respond/", include((respondent_patterns, "respondent"))),
    path("join/", room.join, name="join"),
    path("join/<str:code>/", room.join_workshop, name="join-workshop"),
    path("room/", include((room_patterns, "room"))),
]
