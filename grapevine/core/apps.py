from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grapevine.core"
    verbose_name = "Grapevine"

    def ready(self) -> None:
        from grapevine.core import checks  # noqa: F401  (registers the system checks)
