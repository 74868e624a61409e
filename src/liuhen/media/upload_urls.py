"""URLs of the AV records: the upload pages (R15.1) and third-party material (R17.1)."""

from __future__ import annotations

from django.urls import path

from liuhen.media import upload_views

urlpatterns = [
    path("upload/", upload_views.upload, name="upload"),
    path("third-party/", upload_views.third_party, name="third_party"),
]
