"""The AV record pages (/media/): one URL module per area of the app."""

from __future__ import annotations

from django.urls import include, path

app_name = "media"

urlpatterns = [
    path("", include("liuhen.media.register_urls")),
    path("", include("liuhen.media.upload_urls")),
    path("", include("liuhen.media.record_urls")),
    path("", include("liuhen.media.links_urls")),
    path("", include("liuhen.media.disposal_urls")),
    path("", include("liuhen.media.integrity_urls")),
]
