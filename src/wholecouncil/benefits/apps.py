from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "wholecouncil.benefits"
    label = "benefits"
    verbose_name = "Benefits register and the MTFP"
