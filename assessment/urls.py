from django.urls import include, path

from assessment.views import home, respondent

respondent_patterns = [
    path("", respondent.start, name="start"),
    path("welcome/", respondent.welcome, name="welcome"),
    path("page/<int:number>/", respondent.page, name="page"),
    path("review/", respondent.review, name="review"),
    path("thanks/", respondent.thanks, name="thanks"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("r/<str:token>/", respondent.entry, name="invitation-link"),
    path("respond/", include((respondent_patterns, "respondent"))),
]
