from django.urls import path
from django.views.generic import RedirectView

from yuanqu.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("new/", views.project_create_page, name="create"),
    path("<int:pk>/", views.project_page, name="project"),
    path("<int:pk>/edit/", views.project_edit_page, name="edit"),
    path("<int:pk>/move/", views.stage_move, name="move"),
    path("<int:pk>/credit/", views.credit_edit, name="credit"),
    path("<int:pk>/start-claim/", views.start_claim_page, name="claim"),
    path("starts/", views.start_review_page, name="starts"),
    path("starts/<int:pk>/<slug:decision>/", views.start_review, name="start_review"),
    path("statistics/", views.statistics_page, name="statistics"),
    # The overdue list is a view of supervision now: the project-construction task's stage items.
    path(
        "overdue/",
        RedirectView.as_view(pattern_name="supervision:overdue", permanent=True, query_string=True),
        name="overdue",
    ),
    path("help/", views.help_page, name="help"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger/confirm/", views.ledger_confirm, name="ledger_confirm"),
    path("ledger/cancel/", views.ledger_cancel, name="ledger_cancel"),
    path("ledger/export.xlsx", views.ledger_download, name="ledger_export"),
    path("evidence/<slug:kind>/<int:pk>/", views.evidence_file, name="evidence"),
]
