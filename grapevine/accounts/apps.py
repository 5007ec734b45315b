from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grapevine.accounts"
    verbose_name = "Accounts"
