from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "wholecouncil.workforce"
    label = "workforce"
    verbose_name = "Establishment"
