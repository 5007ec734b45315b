from django.urls import path

from grapevine.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.home, name="home"),
    path("imports/<uuid:public_id>/", views.preview, name="preview"),
    path("imports/<uuid:public_id>/confirm/", views.confirm, name="confirm"),
    path("imports/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("export/csv/", views.export_csv, name="export_csv"),
    path("export/vcard/", views.export_vcard, name="export_vcard"),
    path("export/backup/", views.export_backup, name="export_backup"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("merge/<uuid:public_id>/", views.merge_pick, name="merge_pick"),
    path("merge/<uuid:keep_id>/with/<uuid:drop_id>/", views.merge_confirm, name="merge_confirm"),
]
