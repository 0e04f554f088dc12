"""Pages for running a survey (council staff with the permission), included in `activity.urls`."""

from django.urls import path

from wholecouncil.activity.views import survey

urlpatterns = [
    path("activity/surveys/", survey.surveys, name="surveys"),
    path("activity/surveys/new/", survey.survey_create, name="survey_create"),
    path("activity/surveys/<int:pk>/", survey.survey_detail, name="survey_detail"),
    path("activity/surveys/<int:pk>/edit/", survey.survey_edit, name="survey_edit"),
    path("activity/surveys/<int:pk>/open/", survey.survey_open, name="survey_open"),
    path("activity/surveys/<int:pk>/close/", survey.survey_close, name="survey_close"),
    path("activity/surveys/<int:pk>/reminders/", survey.survey_reminders, name="survey_reminders"),
    path("activity/surveys/<int:pk>/outstanding-links.csv", survey.survey_links_csv, name="survey_links_csv"),
    path(
        "activity/surveys/<int:pk>/outstanding-links.xlsx", survey.survey_links_xlsx, name="survey_links_xlsx"
    ),
]
