from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wholecouncil.web"
    label = "web"
    verbose_name = "Web layout"
