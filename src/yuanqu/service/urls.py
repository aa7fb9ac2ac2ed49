from django.urls import path

from yuanqu.service import views

app_name = "service"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("window/", views.workbench, name="workbench"),
    path("window/materials/", views.materials_fragment, name="materials"),
    path("window/register/", views.register, name="register"),
    path("search/", views.search, name="search"),
    path("cases/", views.cases_page, name="cases"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("review/", views.review, name="review"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("exports/scorecard.xlsx", views.scorecard_download, name="scorecard_export"),
    path("exports/cases.xlsx", views.cases_download, name="cases_export"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.item_edit, name="item_new"),
    path("catalogue/<int:pk>/", views.item_edit, name="item"),
    path("catalogue/import/", views.catalogue_import_page, name="catalogue_import"),
    path("catalogue/import/confirm/", views.catalogue_import_confirm, name="catalogue_import_confirm"),
    path("catalogue/export.xlsx", views.catalogue_download, name="catalogue_export"),
    path("windows/", views.windows_page, name="windows"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("rate/<str:code>/", views.rate, name="rate"),
]
