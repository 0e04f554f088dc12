from django.apps import AppConfig


class SpendConfig(AppConfig):
    name = "wholecouncil.spend"
    label = "spend"
    verbose_name = "Third-party spend"
