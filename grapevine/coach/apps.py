from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "grapevine.coach"
    verbose_name = "Coach"
