from django.urls import path
from django.views.generic import TemplateView

# Placeholder routes: the web UI of the journal replaces these.
app_name = "journal"
_todo = TemplateView.as_view(template_name="base.html")
urlpatterns = [
    path("", _todo, name="entry_list"),
    path("new/", _todo, name="entry_create"),
]
