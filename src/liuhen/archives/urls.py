from __future__ import annotations

from django.urls import path

from liuhen.archives import disposal_views, views

app_name = "archives"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_pk>/", views.review, name="review"),
    path("cases/<int:case_pk>/assemble/", views.assemble, name="assemble"),
    path("cases/<int:case_pk>/note/", views.note, name="note"),
    path("cases/<int:case_pk>/archive/", views.archive, name="archive"),
    path("cases/<int:case_pk>/bound.pdf", views.bound_pdf, name="bound"),
    path("entries/<int:entry_pk>/move/", views.move, name="move"),
    path("entries/<int:entry_pk>/remarks/", views.remarks, name="remarks"),
    path("destruction/", disposal_views.candidates, name="destruction_candidates"),
    path("destruction/requests/", disposal_views.destruction_requests, name="destruction_requests"),
    path(
        "destruction/requests/<int:pk>/",
        disposal_views.destruction_request,
        name="destruction_request",
    ),
    path("transfers/", disposal_views.transfers, name="transfers"),
    path("transfers/<int:pk>/", disposal_views.transfer, name="transfer"),
]
