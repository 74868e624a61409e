"""URLs of the AV records: the record page, its player's file, download and preview
(R21.1). Every one of them answers only GET and HEAD (R14.1, write-once)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.media import record_views as views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views.record_page, name="record"),
    path("<int:pk>/play", views.play, name="play"),
    path("<int:pk>/download", views.download, name="download"),
    path("<int:pk>/thumbnail", views.thumbnail, name="thumbnail"),
]
