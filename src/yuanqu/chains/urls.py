from django.urls import path

from yuanqu.chains import views

app_name = "chains"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("help/", views.help_page, name="help"),
    path("requests/<int:pk>/", views.request_page, name="request"),
    path("requests/<int:pk>/assign/", views.request_action, {"action": "assign"}, name="request_assign"),
    path("requests/<int:pk>/reply/", views.request_action, {"action": "reply"}, name="request_reply"),
    path("requests/<int:pk>/close/", views.request_action, {"action": "close"}, name="request_close"),
    path("<slug:code>/", views.workbench_page, name="workbench"),
    path("<slug:code>/nodes/<int:node_id>/", views.node_fragment, name="node"),
    path("<slug:code>/requests/new/", views.request_new_page, name="request_new"),
]
