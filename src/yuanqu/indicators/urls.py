from django.urls import path

from yuanqu.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("screen/", views.screen_page, name="screen"),
    path("help/", views.help_page, name="help"),
    path("indicators/<slug:code>/provenance/", views.provenance_page, name="provenance"),
    path("indicators/<slug:code>/enterprises/", views.drilldown_page, name="drilldown"),
    path("indicators/<slug:code>/enterprises/new-production/", views.new_production_page, name="new_production"),
    path("imports/", views.import_page, name="import"),
    path("imports/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/cancel/", views.import_cancel, name="import_cancel"),
    path("imports/preview.xlsx", views.import_diff, name="import_diff"),
    path("imports/reports/", views.report_review, name="report_review"),
    path("imports/reports/upload/", views.report_upload, name="report_upload"),
    path("imports/reports/<int:pk>/review/", views.observation_decide, name="observation_review"),
    path("imports/templates/<slug:kind>.xlsx", views.import_template, name="import_template"),
]
