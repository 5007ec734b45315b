from django.urls import path
from django.views.generic import TemplateView

# Placeholder routes: the web UI of the contact book replaces these.
app_name = "contacts"
_todo = TemplateView.as_view(template_name="base.html")
urlpatterns = [
    path("", _todo, name="person_list"),
    path("new/", _todo, name="person_create"),
    path("organisations/", _todo, name="organisation_list"),
]
