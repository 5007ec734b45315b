from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "grapevine.journal"
    verbose_name = "Journal"
