from django.urls import path

from yuanqu.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("screen/", views.screen_page, name="screen"),
    path("indicators/<slug:code>/provenance/", views.provenance_page, name="provenance"),
    path("indicators/<slug:code>/enterprises/", views.drilldown_page, name="drilldown"),
    path("imports/", views.import_page, name="import"),
    path("imports/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/cancel/", views.import_cancel, name="import_cancel"),
    path("imports/templates/<slug:kind>.xlsx", views.import_template, name="import_template"),
]
