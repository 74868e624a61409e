"""URLs of the AV records: fixity findings (R16.1, R23.1)."""

from __future__ import annotations

from django.urls import path

from liuhen.media import integrity_views

urlpatterns = [
    path("integrity/", integrity_views.findings, name="integrity"),
]
