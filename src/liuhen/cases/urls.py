from __future__ import annotations

from django.urls import path

from liuhen.cases import hearing_views, views, workflow_views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/print/", views.register_print, name="register_print"),
    path("register/export.<str:fmt>", views.register_export, name="register_export"),
    path("numbering/", views.number_pattern, name="number_pattern"),
    path("link-subject/<int:subject_pk>/", views.link_subject, name="link_subject"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/timeline/", views.case_timeline, name="timeline"),
    path("<int:pk>/advance/", workflow_views.case_advance, name="advance"),
    path("<int:pk>/advance-notice/", workflow_views.advance_notice, name="advance_notice"),
    path("<int:pk>/decide/", workflow_views.decide, name="decide"),
    path("<int:pk>/legal-review/", workflow_views.legal_review, name="legal_review"),
    path("<int:pk>/discussion/", workflow_views.discussion, name="discussion"),
    path("<int:pk>/close/", workflow_views.close, name="close"),
    path("<int:pk>/urgent-start/", workflow_views.urgent_start, name="urgent_start"),
    path("<int:pk>/hearing/", hearing_views.hearing, name="hearing"),
    path("<int:pk>/suspension/", hearing_views.suspension, name="suspension"),
    path("on-the-spot/", workflow_views.on_the_spot, name="on_the_spot"),
    path("leads/", workflow_views.lead_list, name="leads"),
    path("leads/new/", workflow_views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", workflow_views.lead_detail, name="lead_detail"),
    path("approvals/", workflow_views.approval_inbox, name="approvals"),
    path("approvals/<int:pk>/decide/", workflow_views.approval_decide, name="approval_decide"),
]
