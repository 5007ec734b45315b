from django.urls import path

import grapevine.messaging.views as views

app_name = "messaging"
urlpatterns = [
    path("", views.draft_list, name="draft_list"),
    path("new/", views.draft_new, name="draft_new"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("<uuid:public_id>/", views.draft_detail, name="draft_detail"),
    path("<uuid:public_id>/check/", views.draft_check_view, name="draft_check"),
    path("<uuid:public_id>/message.eml", views.draft_eml, name="draft_eml"),
    path("<uuid:public_id>/sent/", views.draft_mark_sent, name="draft_mark_sent"),
    path("<uuid:public_id>/send/", views.draft_send, name="draft_send"),
    path("<uuid:public_id>/delete/", views.draft_delete, name="draft_delete"),
]
