from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "grapevine.coach"
    verbose_name = "Coach"

    def ready(self) -> None:
        from grapevine.coach import checks  # noqa: F401  (registers the system checks)
