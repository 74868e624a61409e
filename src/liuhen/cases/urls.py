from __future__ import annotations

from django.urls import path

from liuhen.cases.views import approvals, assignment, cases, hearings, leads, trail, workflow

app_name = "cases"
urlpatterns = [
    path("", cases.case_list, name="list"),
    path("register/print/", cases.register_print, name="register_print"),
    path("register/export.<str:fmt>", cases.register_export, name="register_export"),
    path("numbering/", cases.number_pattern, name="number_pattern"),
    path("link-subject/<int:subject_pk>/", cases.link_subject, name="link_subject"),
    path("<int:pk>/", cases.case_detail, name="detail"),
    path("<int:pk>/timeline/", cases.case_timeline, name="timeline"),
    path("<int:pk>/trail/", trail.trail_page, name="trail"),
    path("<int:pk>/trail/export.<str:fmt>", trail.trail_export, name="trail_export"),
    path("<int:pk>/assignment/", assignment.assignment, name="assignment"),
    path("<int:pk>/advance/", workflow.case_advance, name="advance"),
    path("<int:pk>/advance-notice/", workflow.advance_notice, name="advance_notice"),
    path("<int:pk>/decide/", workflow.decide, name="decide"),
    path("<int:pk>/legal-review/", workflow.legal_review, name="legal_review"),
    path("<int:pk>/review-grounds/", workflow.review_grounds, name="review_grounds"),
    path("<int:pk>/discussion/", workflow.discussion, name="discussion"),
    path(
        "discussion-opinions/<int:pk>/confirm/",
        workflow.confirm_opinion,
        name="confirm_opinion",
    ),
    path("<int:pk>/close/", workflow.close, name="close"),
    path("<int:pk>/ask-approval/", approvals.ask, name="ask_approval"),
    path("<int:pk>/urgent-start/", approvals.urgent_start, name="urgent_start"),
    path("<int:pk>/seizure/", approvals.seizure, name="seizure"),
    path("<int:pk>/hearing/", hearings.hearing, name="hearing"),
    path("<int:pk>/suspension/", hearings.suspension, name="suspension"),
    path("on-the-spot/", workflow.on_the_spot, name="on_the_spot"),
    path("<int:pk>/file-simple/", workflow.file_simple, name="file_simple"),
    path("leads/", leads.lead_list, name="leads"),
    path("leads/new/", leads.lead_create, name="lead_create"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead_detail"),
    path("approvals/", approvals.approval_inbox, name="approvals"),
    path("approvals/<int:pk>/decide/", approvals.approval_decide, name="approval_decide"),
]
