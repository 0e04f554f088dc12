from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "wholecouncil.reports"
    label = "reports"
    verbose_name = "Reports and board packs"
