from django.urls import path

from grapevine.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("today/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
]
