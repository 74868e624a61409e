from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.supervision.views import (
    accountability,
    complaints,
    coverage,
    findings,
    guidance,
    home,
    rectification,
    reviews,
    spot_checks,
)

app_name = "supervision"
urlpatterns: list[URLPattern] = [path("", home.home, name="home")]

# Complaint replay (R22.4): the ledger, a complaint, its footage and replay review.
urlpatterns += [
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/export.<str:fmt>", complaints.complaint_export, name="complaints_export"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/replay/", complaints.complaint_replay, name="complaint_replay"),
]

# Case-file review 案卷评查 (R22.2): plans, results, the scoring page.
urlpatterns += [
    path("reviews/", reviews.review_home, name="reviews"),
    path("reviews/plans/<int:pk>/", reviews.review_plan, name="review_plan"),
    path("reviews/assignments/<int:pk>/", reviews.review_score, name="review_score"),
]

# AV coverage (R5, R14.1) and spot checks of recorders and footage (R22.3).
urlpatterns += [
    path("coverage/", coverage.coverage, name="coverage"),
    path("spot-checks/", spot_checks.spot_checks, name="spot_checks"),
    path("spot-checks/ledger.<str:fmt>", spot_checks.ledger_export, name="spot_check_export"),
    path("spot-checks/<int:pk>/", spot_checks.plan_page, name="spot_check_plan"),
    path("spot-checks/<int:pk>/draw/", spot_checks.draw, name="spot_check_draw"),
    path("spot-checks/review/<int:pk>/", spot_checks.review, name="spot_check_review"),
]

# Findings, rectification 整改 (R23.1), accountability 责任追究 (R23.2), guidance 督办 (R22.5).
urlpatterns += [
    path("findings/", findings.finding_list, name="findings"),
    path("findings/export.<str:fmt>", findings.finding_export, name="findings_export"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding"),
    path("rectifications/", rectification.order_list, name="rectifications"),
    path(
        "rectifications/export.<str:fmt>", rectification.order_export, name="rectifications_export"
    ),
    path("rectifications/new/", rectification.order_new, name="rectification_new"),
    path("rectifications/<int:pk>/", rectification.order_detail, name="rectification"),
    path(
        "rectifications/evidence/<int:pk>/",
        rectification.evidence_file,
        name="rectification_evidence",
    ),
    path("accountability/", accountability.record_list, name="accountability"),
    path(
        "accountability/export.<str:fmt>",
        accountability.record_export,
        name="accountability_export",
    ),
    path("accountability/new/", accountability.record_new, name="accountability_new"),
    path("accountability/<int:pk>/", accountability.record_detail, name="accountability_record"),
    path("guidance/", guidance.guidance_page, name="guidance"),
    path("guidance/<int:pk>/", guidance.guidance_entry, name="guidance_entry"),
]
