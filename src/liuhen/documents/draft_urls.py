"""Drafting, preview, approval, issue, issued document pages, scans (namespace "documents",
mounted at /documents/). Issued documents answer only GET and HEAD (write-once)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.documents import draft_views as views

urlpatterns: list[URLPattern] = [
    path("new/<int:case_id>/", views.new_document, name="new"),
    path("scan/<int:case_id>/", views.scan, name="scan"),
    path("<int:pk>/", views.draft, name="draft"),
    path("<int:pk>/preview.pdf", views.preview, name="preview"),
    path("issued/<int:pk>/", views.issued, name="issued"),
    path("issued/<int:pk>/file/<str:purpose>/", views.issued_file, name="issued_file"),
]
