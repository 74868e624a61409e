"""URLs of the AV records: disposal after retention (R18.4)."""

from __future__ import annotations

from django.urls import path

from liuhen.media import disposal_views

urlpatterns = [
    path("disposal/", disposal_views.candidates, name="disposal"),
    path("disposal/requests/", disposal_views.request_list, name="disposal_requests"),
    path("disposal/requests/<int:pk>/", disposal_views.request_detail, name="disposal_request"),
]
