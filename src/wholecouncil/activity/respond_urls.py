"""The respondent's pages, reached by a personal link with no account."""

from django.urls import path

from wholecouncil.activity.views import respond

app_name = "respond"

urlpatterns = [
    path("<str:token>/", respond.answer, name="answer"),
    path("<str:token>/sent/", respond.sent, name="sent"),
]
