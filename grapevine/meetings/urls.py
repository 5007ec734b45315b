from django.urls import path

from grapevine.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_request, name="meeting_request"),
    path("questions/", views.question_bank_view, name="question_bank"),
    path("questions/star/", views.question_star, name="question_star"),
    path("drill/", views.drill, name="drill"),
    path("drill/practice/", views.drill_practice, name="drill_practice"),
    path("promises/<uuid:public_id>/done/", views.promise_done, name="promise_done"),
    path("<uuid:public_id>/", views.meeting_detail, name="meeting_detail"),
    path("<uuid:public_id>/schedule/", views.meeting_schedule, name="meeting_schedule"),
    path(
        "<uuid:public_id>/status/<str:action>/", views.meeting_set_status, name="meeting_set_status"
    ),
    path("<uuid:public_id>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("<uuid:public_id>/prep/", views.meeting_prep, name="meeting_prep"),
    path("<uuid:public_id>/prep/questions/", views.meeting_questions, name="meeting_questions"),
    path("<uuid:public_id>/prep/sheet/", views.meeting_prep_sheet, name="meeting_prep_sheet"),
    path("<uuid:public_id>/notes/", views.meeting_notes, name="meeting_notes"),
    path("<uuid:public_id>/debrief/", views.meeting_debrief, name="meeting_debrief"),
]
