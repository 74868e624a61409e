"""URLs of the tus 1.0.0 upload endpoint, included at /api/v1/uploads/ (api/tus.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.api import tus

urlpatterns: list[URLPattern] = [
    path("", tus.collection, name="tus_uploads"),
    path("<uuid:upload_id>", tus.resource, name="tus_upload"),
    path("<uuid:upload_id>/", tus.resource),
]
