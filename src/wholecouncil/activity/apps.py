from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "wholecouncil.activity"
    label = "activity"
    verbose_name = "Activity analysis"
