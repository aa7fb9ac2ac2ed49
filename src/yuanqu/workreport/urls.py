from django.urls import path

from yuanqu.workreport import views

app_name = "workreport"
urlpatterns = [
    path("", views.reports_page, name="reports"),
    path("help/", views.help_page, name="help"),
    path("new/", views.draft_new, name="draft_new"),
    path("drafts/<int:pk>/", views.draft_page, name="draft"),
    path("drafts/<int:pk>/save/", views.draft_save, name="draft_save"),
    path("drafts/<int:pk>/issue/", views.draft_issue_view, name="draft_issue"),
    path("drafts/<int:pk>/fields/<str:key>/", views.draft_source, name="draft_source"),
    path("drafts/<int:pk>/fields/<str:key>/accept/", views.draft_decision, {"accept": True}, name="draft_accept"),
    path("drafts/<int:pk>/fields/<str:key>/keep/", views.draft_decision, {"accept": False}, name="draft_keep"),
    path("versions/<int:pk>/", views.version_page, name="version"),
    path("versions/<int:pk>/fields/<str:key>/", views.version_source, name="version_source"),
    path("versions/<int:pk>/download/<str:fmt>/", views.version_download, name="version_download"),
]
