from django.urls import path

from grapevine.targets import views

app_name = "targets"
urlpatterns = [
    path("postings/", views.posting_list_view, name="posting_list"),
]
