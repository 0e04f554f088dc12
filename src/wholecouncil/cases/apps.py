from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "wholecouncil.cases"
    label = "cases"
    verbose_name = "Opportunities and business case"
