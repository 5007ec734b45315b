from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "grapevine.transfer"
    verbose_name = "Import and export"
