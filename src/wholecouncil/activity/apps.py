from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "wholecouncil.activity"
    label = "activity"
    verbose_name = "Activity analysis"

    def ready(self) -> None:
        from wholecouncil.activity import signals  # noqa: F401  (connects the receivers)
