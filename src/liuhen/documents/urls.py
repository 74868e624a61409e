"""The text-record pages (/documents/): one URL module per area."""

from __future__ import annotations

from django.urls import include, path

app_name = "documents"

urlpatterns = [
    path("", include("liuhen.documents.draft_urls")),
    path("", include("liuhen.documents.sign_urls")),
    path("", include("liuhen.documents.admin_urls")),
]
