from django.urls import path

from yuanqu.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("help/", views.help_page, name="help"),
    path("leader/", views.leader_page, name="leader"),
    path("mine/", views.mine_page, name="mine"),
    path("mine/reminders/<int:pk>/read/", views.reminder_read_view, name="reminder_read"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task_page, name="task"),
    path("tasks/<int:pk>/measures/new/", views.measure_new, name="measure_new"),
    path("measures/<int:pk>/", views.measure_page, name="measure"),
    path("measures/<int:pk>/report/", views.measure_report, name="report"),
    path("reports/<int:pk>/review/", views.report_review_view, name="review"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("overdue/", views.overdue_page, name="overdue"),
]
