from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.supervision.views import complaints, reviews

app_name = "supervision"
urlpatterns: list[URLPattern] = []

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
