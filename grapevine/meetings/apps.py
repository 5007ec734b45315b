from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "grapevine.meetings"
    verbose_name = "Meetings"
