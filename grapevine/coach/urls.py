from django.urls import path

from grapevine.coach import views

app_name = "coach"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("actions/", views.action, name="action"),
    path("todos/", views.todo_create, name="todo_create"),
    path("settings/", views.coach_settings, name="settings"),
    path("settings/calendar/", views.calendar_token, name="calendar_token"),
    path("settings/undismiss/", views.undismiss, name="undismiss"),
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="calendar_feed"),
]
