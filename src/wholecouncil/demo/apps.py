from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wholecouncil.demo"
    label = "demo"
    verbose_name = "Demo council"
