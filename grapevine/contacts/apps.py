from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "grapevine.contacts"
    verbose_name = "Contacts"
