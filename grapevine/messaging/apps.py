from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "grapevine.messaging"
    verbose_name = "Messages"
