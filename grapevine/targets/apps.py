from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "grapevine.targets"
    verbose_name = "Targets and postings"
