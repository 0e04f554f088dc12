from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "wholecouncil.council"
    label = "council"
    verbose_name = "Council, organisation and operating model"
