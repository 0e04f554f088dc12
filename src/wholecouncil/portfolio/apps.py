from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "wholecouncil.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio and governance"
