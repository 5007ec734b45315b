from django.urls import path

from grapevine.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("quick-add/", views.person_quick_add, name="person_quick_add"),
    path("pick/", views.person_picker, name="person_picker"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/delete/", views.person_delete, name="person_delete"),
    path("<uuid:public_id>/list/", views.person_set_list, name="person_set_list"),
    path("<uuid:public_id>/closeness/", views.person_set_closeness, name="person_set_closeness"),
    path("<uuid:public_id>/referred/", views.referral_create, name="referral_create"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:public_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:public_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<uuid:public_id>/delete/",
        views.organisation_delete,
        name="organisation_delete",
    ),
    path("referrals/<uuid:public_id>/edit/", views.referral_edit, name="referral_edit"),
    path("referrals/<uuid:public_id>/delete/", views.referral_delete, name="referral_delete"),
    path(
        "referrals/<uuid:public_id>/reported-back/",
        views.referral_report_back,
        name="referral_report_back",
    ),
]
