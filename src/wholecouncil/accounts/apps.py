from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wholecouncil.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
